"""The students' README: open, work, save, submit, and what to do when something breaks."""

from __future__ import annotations

from urllib.parse import quote

from medialit.release.settings import ReleaseSettings, wheel_name


def launch_links(settings: ReleaseSettings, path: str) -> dict[str, str]:
    """Links that open ``path`` (an ``.ipynb`` of the release) on Binder, Colab and the hub.

    >>> from medialit.release.settings import example_settings
    >>> links = launch_links(example_settings(), "notebooks/00-orientation.ipynb")
    >>> links["Binder"]
    'https://mybinder.org/v2/gh/course-org/medialit-student/main?urlpath=lab/tree/notebooks/00-orientation.ipynb'
    >>> links["Colab"]
    'https://colab.research.google.com/github/course-org/medialit-student/blob/main/notebooks/00-orientation.ipynb'
    """
    owner_repo, branch = settings.owner_repo, settings.branch
    name = owner_repo.split("/")[1]
    links = {
        "Binder": f"{settings.binder_url}/v2/gh/{owner_repo}/{branch}?urlpath=lab/tree/{path}",
        "Colab": f"{settings.colab_url}/github/{owner_repo}/blob/{branch}/{path}",
    }
    if settings.hub_url:
        links["JupyterHub"] = (
            f"{settings.hub_url}/hub/user-redirect/git-pull?repo="
            f"{quote(settings.repository_url, safe='')}&branch={branch}"
            f"&urlpath={quote(f'lab/tree/{name}/{path}', safe='')}"
        )
    return links


def student_readme(
    settings: ReleaseSettings, version: str, walkthroughs: list[str], exercises: list[str]
) -> str:
    """The README of the release repository (and the package's long description)."""
    first = walkthroughs[0] if walkthroughs else "notebooks/00-orientation.ipynb"
    links = launch_links(settings, first)
    buttons = " · ".join(f"[{name}]({url})" for name, url in links.items())
    listed = "\n".join(f"- `{path}`" for path in walkthroughs)
    sets = "\n".join(f"- `{path}`" for path in exercises)
    return f"""# Reading the News Critically: student notebooks (version {version})

The notebooks of the course *Reading the News Critically*: five opinion articles on US–Russia
relations (November 2020 to February 2022), and how to read them for sourcing, claims, framing
and persuasion. The course's pages: {settings.site_url or "(ask your instructor)"}

## 1. Open

Open the first notebook, `{first}`, in one of these ways (your instructor tells you which):

- **JupyterHub, Binder or Colab:** {buttons}. Run the first cell of every notebook first: it
  installs the course package where it is missing (on Colab this takes about a minute) and
  does nothing where it is there.
- **Your own computer** (Python 3.11 or newer): download this repository (Code > Download ZIP,
  then unzip it), open a terminal in its folder and run

  ```
  python3 -m venv .venv
  source .venv/bin/activate        # on Windows: .venv\\Scripts\\activate
  python -m pip install -r requirements.txt dist/{wheel_name(version)}
  jupyter lab
  ```

Walk-throughs (practice; read and run them in order):

{listed}

Graded exercise sets:

{sets}

## 2. Work

Run cells with Shift+Enter, top to bottom. In a walk-through, a self-check tells you at once
whether your answer is right and why; open the folded **Explanation** after it. In an exercise
set, replace each `None` with your answer as a plain value: text in quotes, a number, or a list
in square brackets. The form check under it tells you whether the grader can read your answer;
it does not tell you whether the answer is right: that is marked later. Folded code cells (a
bar with "…") draw the charts: click to see the code.

## 3. Save

Save often: File > Save Notebook (Ctrl+S or Cmd+S). On Binder nothing is kept when the session
ends: download your notebook (File > Download) before you close the tab. On Colab, File > Save
a copy in Drive, then File > Download > Download .ipynb.

## 4. Submit

Run the last cell of the exercise set, **Before you submit**: it lists the files to hand in
(`<set>.ipynb`, and `<set>.answers.json` where the set has annotations) and says what is still
missing. Hand in the files with the names it gives; a renamed copy (`Copy of …`, `… (1)`) is
recognised, but keep one copy per set.

## When something breaks

- *"No module named medialit"* or the first cell fails: run the first cell again; on your own
  computer, run the command it prints, restart the kernel (Kernel > Restart Kernel) and run it
  again.
- *A cell runs for ever or the notebook stops responding:* Kernel > Restart Kernel, then run the
  cells from the top (Run > Run All Cells).
- *A widget shows as text* ("HBox(...)") or nothing: reload the page; on a laptop, make sure you
  use JupyterLab 4 or Notebook 7 (`jupyter lab`).
- *You overwrote a notebook:* download a fresh copy from this repository (or open the launch
  link again) and copy your answers over; your annotations are in `<set>.answers.json`.
- *Anything else:* write to your instructor with the notebook's name, the cell and the message.

## Version, licence, credits

Version {version} of the course package `medialit` (the first cell installs exactly this
version). Code: MIT licence; course text: CC BY 4.0; the articles are quoted for criticism,
review and teaching with full attribution (see `LICENSE`). Cite the course with `CITATION.cff`.
"""

/* Deliberately empty. The theme ships Font Awesome twice: as web fonts in its style sheet and as
   this 1.5 MB script that swaps each icon for an inline SVG. The web fonts alone draw every icon
   the book uses, so medialit serves this stub in the theme's place (files in html_static_path
   override theme files of the same name) and every page is 1.5 MB lighter. */

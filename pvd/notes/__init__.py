"""The note de suivi: the dashboard's figures for a perimeter at a date, as a PDF built by a
background job and stored with the snapshot of its values (issue 6).

- `permissions`: who may ask for a note of which perimeter;
- `perimetres`: the French names of the perimeters (« France », « Nièvre (58) »…);
- `services`: `demander_note` (a request, idempotent) and `construire_note` (the task's work);
- `contenu`: seed 001's sections, figures and sentences, from the snapshot;
- `graphiques`: the charts, drawn as SVG with matplotlib;
- `pdf`: `render_note_pdf`, the HTML template rendered by WeasyPrint.
"""

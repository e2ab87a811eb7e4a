"""The portal: the widget's files, a demo page of a fictional practice with
the widget embedded, and (for clinicians) the pre-session summary."""

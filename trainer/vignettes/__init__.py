"""Case vignettes: the library, clinic uploads with attachments, trainee responses, supervisor review."""

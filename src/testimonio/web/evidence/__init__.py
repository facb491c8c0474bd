"""Evidence: declarations and attachments, their custody log, paragraphs and exhibit numbers."""

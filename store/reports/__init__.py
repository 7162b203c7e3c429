"""What a report is and how it is read: bytes in, an Article (title, sentences, quotes) out."""

"""The answering engine: a question in, ranked excerpts and quotes out; it never touches disk."""

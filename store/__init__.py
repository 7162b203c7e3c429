"""Everything that is not Telegram: reading reports, keeping the library, answering questions."""

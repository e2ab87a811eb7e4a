"""Between-session trust reflection assistant: plain Python shared by every process."""

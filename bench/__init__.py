"""Load benchmark: our stack (action server + Rasa server, the widget channel)
against a stock `rasa init` assistant (Rasa's REST channel), side by side on
this machine. `make bench` or `python -m bench --help`; README: Benchmark."""

from graph.cli import run

run()

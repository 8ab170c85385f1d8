from webagent.cli import app

app(prog_name="webagent")

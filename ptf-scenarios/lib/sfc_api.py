"""The controller daemon's HTTP API (sfc controller run), as the scenarios and run.sh use it.

Run as a script, `sfc_api.py TOKEN_FILE connected` exits 0 once the daemon is connected to its switch and
primary for it (run.sh waits on it).
"""
import json
import sys
import urllib.error
import urllib.request


class Api:
    def __init__(self, base, token_file):
        self.base = base.rstrip("/")
        with open(token_file) as f:
            self.token = f.read().strip()

    def get(self, path):
        req = urllib.request.Request(self.base + path, headers={"Authorization": "Bearer " + self.token})
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.loads(r.read().decode())

    def status(self):
        return self.get("/v1/status")

    def devices(self):
        """Every device the controller monitors: {id: state} with state healthy, failed, recovered, drained or
        unprobed, prefixed 'pending:' while the action of the change is still being written to the switch."""
        return {d["device"]: ("pending:" if d.get("pending") else "") + d["state"] for d in self.get("/v1/devices")}


def main(argv):
    token_file, what = argv[1], argv[2]
    try:
        status = Api("http://127.0.0.1:9600", token_file).status()
    except (OSError, urllib.error.URLError, ValueError):
        return 1
    return 0 if what == "connected" and status.get("connected") else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))

# The Python-level scenarios in one process (one interpreter start per runtime and run):
# bulk.py, pingpong.py (blocking, and timeout mode unless "quick"), connrate.py.
# Usage: suite.py BULK_BYTES PINGPONG_N CONNS [quick]. Prints RESULT lines prefixed bulk./pp./ppt./conn.
from __future__ import print_function
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bulk, pingpong, connrate

def main():
    total, n, conns = sys.argv[1], sys.argv[2], sys.argv[3]
    quick = len(sys.argv) > 4 and sys.argv[4] == "quick"
    bulk.main(["bulk.py", total, "65536"], "bulk.")
    pingpong.main(["pingpong.py", n, "64"], "pp.")
    if not quick:
        pingpong.main(["pingpong.py", n, "64", "timeout"], "ppt.")
    connrate.main(["connrate.py", conns], "conn.")
    sys.stdout.flush()

if __name__ == "__main__":
    main()

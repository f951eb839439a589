"""Fairhearing's staff case list against django-helpdesk's ticket list at the same N.

    python benchmarks/peer/list_ratio.py results/case_list-quick.json \
        results/peer_ticket_list-quick.json

Reads the two benchmarks' JSON and prints one line: both medians and their ratio (ours over
theirs; helpdesk's figure is its list page plus the first page of rows that the page fetches).
"""

import json
import sys


def main() -> None:
    with open(sys.argv[1]) as ours_file, open(sys.argv[2]) as peer_file:
        ours, peer = json.load(ours_file), json.load(peer_file)
    mine, theirs = ours["median_ms"]["list"], peer["list_total_ms"]
    print(
        f"  list: Fairhearing {mine} ms at {ours['cases']} cases, django-helpdesk {theirs} ms "
        f"at {peer['tickets']} tickets (page {peer['median_ms']['list_page']} + rows "
        f"{peer['median_ms']['list_rows']}): ratio {mine / theirs:.2f}"
    )


if __name__ == "__main__":
    main()

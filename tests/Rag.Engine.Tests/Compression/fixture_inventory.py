"""A small inventory module: the code fixture for LongCodeZip tests."""
import csv
import datetime
import logging

log = logging.getLogger(__name__)


class Item:
    def __init__(self, sku, name, on_hand, reorder_point, lead_time_days):
        self.sku = sku
        self.name = name
        self.on_hand = on_hand
        self.reorder_point = reorder_point
        self.lead_time_days = lead_time_days

    def __repr__(self):
        return f"Item({self.sku!r}, {self.name!r}, on_hand={self.on_hand})"


def load_items(path):
    items = []
    with open(path, newline="") as handle:
        for row in csv.DictReader(handle):
            items.append(Item(row["sku"], row["name"], int(row["on_hand"]),
                              int(row["reorder_point"]), int(row["lead_time_days"])))
    log.info("loaded %d items from %s", len(items), path)
    return items


def save_items(path, items):
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["sku", "name", "on_hand", "reorder_point", "lead_time_days"])
        for item in items:
            writer.writerow([item.sku, item.name, item.on_hand, item.reorder_point, item.lead_time_days])


def daily_demand(sales, days=28):
    if not sales:
        return 0.0
    recent = sales[-days:]
    return sum(recent) / len(recent)


def compute_restock_quantity(item, sales, safety_days=7):
    demand = daily_demand(sales)
    cover_days = item.lead_time_days + safety_days
    needed = demand * cover_days
    if item.on_hand > item.reorder_point:
        return 0
    quantity = max(0, round(needed - item.on_hand))
    return quantity


def format_report(items, today=None):
    today = today or datetime.date.today()
    lines = [f"Inventory report for {today.isoformat()}"]
    for item in sorted(items, key=lambda i: i.sku):
        lines.append(f"{item.sku:10} {item.name:30} {item.on_hand:6}")
    return "\n".join(lines)


def archive_old_reports(folder, keep=10):
    import os
    reports = sorted(name for name in os.listdir(folder) if name.startswith("report-"))
    for name in reports[:-keep]:
        os.remove(os.path.join(folder, name))
        log.info("removed %s", name)


def parse_arguments(argv):
    import argparse
    parser = argparse.ArgumentParser(description="Inventory tools")
    parser.add_argument("--items", required=True)
    parser.add_argument("--sales", required=True)
    parser.add_argument("--report", default="-")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_arguments(argv)
    items = load_items(args.items)
    print(format_report(items))

"""What the jobs share: reading a CSV file of sales."""
import csv


def read_sales(path):
    with open(path, newline='') as f:
        return [(row['region'], int(row['amount'])) for row in csv.DictReader(f)]

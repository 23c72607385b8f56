"""The application ledger (台账): export to Excel with the console's filters, and import of an
existing ledger from Excel, all rows or none."""

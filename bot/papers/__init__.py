"""The papers made from an incident's record: report, register entry, notice drafts, the
one-page runbook, export, evidence pack, timeline picture and regression cases.

They read the rules (incident, classification, obligations, runbook, timeline) and one
document model (`document`), and never the use-cases, publishing or views above them."""

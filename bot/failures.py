"""Failure types (DOMAIN.md; OWASP LLM Top 10 2025, MITRE ATLAS) and the evidence checklist."""

FAILURE_TYPES: dict[str, str] = {
    "fabrication": "Fabrication / hallucination",
    "context_leakage": "Context leakage / cross-client contamination",
    "wrong_recipient": "Wrong recipient / routing",
    "wrong_record": "Wrong record / action on wrong data",
    "goal_drift": "Goal drift",
    "cascading_agents": "Cascading multi-agent error",
    "prompt_injection": "Prompt injection",
    "tool_exfiltration": "Data exfiltration via tool",
    "external_ai_paste": "Confidential data pasted into an external AI",
    "bias": "Bias / unfair outcome",
    "unsafe_advice": "Unsafe or incorrect advice",
    "harmful_content": "Harmful content",
    "runaway": "Runaway cost / loop / outage",
    "vendor_change": "Vendor or model change",
    "other": "Other / unsure",
}

EVIDENCE_ITEMS: dict[str, str] = {
    "E1": "Awareness account (who noticed what, when)",
    "E2": "Retention holds sent to vendors",
    "E3": "Session / memory state",
    "E4": "Prompts and raw outputs with request ids and timestamps",
    "E5": "System prompt / template and its version",
    "E6": "Model, version, parameters",
    "E7": "Retrieval context (documents, index, client/matter filters)",
    "E8": "Tool-call log and target-system audit logs",
    "E9": "Configuration and recent changes",
    "E10": "Affected outputs and their recipients",
    "E11": "Human approvals and edits",
    "E12": "Screenshots / exports",
    "E13": "Vendor communications",
    "E14": "Decision log (this incident's timeline)",
    "E15": "A few normal traces for comparison",
}

#!/usr/bin/env python3
"""Deterministic onboard site of N customer trackers and a 10-SOP library.

Usage:
  gen_trackers.py N OUT [--seed 7]

Writes, under OUT (which must not exist or be empty):
  onboard.yaml                  fixed as_of, calendar with holidays, share on
  playbooks/roles.yaml          site-wide roles
  playbooks/sop-NN.md           10 SOPs: roles, steps, KPIs with measures
  playbooks/standard-onboarding.md, playbooks/enterprise-onboarding.md
                                2 playbooks: phases linking SOP steps, milestones plan
  content/customers/customer-NNNNN.yaml
                                N trackers (SPEC section 1): playbook, milestones,
                                health, scores, stakeholders, actions, risks,
                                updates, notes

The same N and seed always give the same bytes, so builds can be compared
run to run. Every file is valid: `onboard check --root OUT` reports no error.
"""
import argparse
import datetime
import os
import random
import sys

AS_OF = datetime.date(2026, 1, 25)
HOLIDAYS = ["2025-12-25", "2026-01-01", "2026-01-19", "2026-02-16"]

ROLES = [
    ("csm", "Customer Success Manager", "account-owner"),
    ("account-owner", "Account Owner", "cs-director"),
    ("cs-director", "Director of Customer Success", None),
    ("implementation-owner", "Implementation Owner", "account-owner"),
    ("solutions-engineer", "Solutions Engineer", "implementation-owner"),
    ("onboarding-specialist", "Onboarding Specialist", "csm"),
    ("account-executive", "Account Executive", "sales-lead"),
    ("sales-lead", "Sales Lead", "cs-director"),
]

SOP_TOPICS = [
    "Sales handoff", "Kickoff call", "Account provisioning", "SSO setup",
    "Data import", "Integration setup", "End-user training", "First value review",
    "Day-30 check-in", "Day-90 success review",
]

WORDS = """customer account kickoff milestone handoff training integration import
workspace admin sponsor success criteria plan review health usage adoption
rollout pilot team owner agenda schedule sign-off risk blocker escalation
metadata template checklist report dashboard license seat contract renewal
""".split()

FIRST = ["Maria", "Tom", "Lena", "Ravi", "Jane", "Omar", "Chen", "Ana", "Piotr",
         "Keiko", "Sam", "Noor", "Jonas", "Ines", "Kofi", "Mei"]
LAST = ["Lopez", "Becker", "Park", "Menon", "Smith", "Haddad", "Wei", "Silva",
        "Nowak", "Tanaka", "Reed", "Khan", "Berg", "Costa", "Mensah", "Li"]
CSMS = ["Jane Smith", "Omar Haddad", "Chen Wei", "Ana Silva", "Piotr Nowak",
        "Keiko Tanaka", "Sam Reed", "Noor Khan"]
TIERS = ["enterprise", "mid-market", "smb"]
COMPANY = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne",
           "Wonka", "Soylent", "Tyrell", "Cyberdyne", "Vandelay", "Aperture",
           "Oscorp", "Monarch", "Gringotts", "Dunder", "Prestige", "Pied Piper",
           "Black Mesa"]
SUFFIX = ["Corp", "Labs", "Health", "Foods", "Systems", "Logistics", "Bank",
          "Retail", "Energy", "Media"]

# name, marks, offset (from start), criteria, customer visible
PLAN = [
    ("Kickoff completed", "kickoff", "3 business days", "Kickoff held with the sponsor", True),
    ("Accounts provisioned", "provisioned", "5 business days", "Admins can sign in", True),
    ("Integration configured", "integration", "10 business days", "SSO and data sync live", True),
    ("Training delivered", "training", "15 business days", "Every team trained once", True),
    ("First value achieved", "first_value", "20 business days", "Three workflows in daily use", True),
    ("Internal health review", "health_review", "25 business days", "Health score reviewed", False),
    ("Handoff to account management", "handoff", "8 weeks", "Success plan signed off", True),
]


def words(rng, k, cap=True):
    ws = [rng.choice(WORDS) for _ in range(k)]
    if cap:
        ws[0] = ws[0].capitalize()
    return " ".join(ws)


def q(text):
    """A double-quoted YAML scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def slugify(text):
    out = []
    for ch in text.lower():
        out.append(ch if ch.isalnum() else "-")
    return "-".join(filter(None, "".join(out).split("-")))


def config():
    return ("title: Bench Onboarding\n"
            "base_url: https://onboarding.example.com/\n"
            "as_of: %s\n"
            "calendar:\n"
            "  workdays: [mon, tue, wed, thu, fri]\n"
            "  holidays: [%s]\n"
            "theme: default\n"
            "share:\n"
            "  enabled: true\n") % (AS_OF.isoformat(), ", ".join(HOLIDAYS))


def roles_yaml():
    out = ["# Site-wide roles for the tracker benchmark.\n"]
    for rid, name, up in ROLES:
        out.append("- id: %s\n  name: %s\n  responsibilities:\n"
                   "    - Own the %s part of onboarding\n    - Report progress weekly\n"
                   % (rid, name, name.lower()))
        if up:
            out.append("  escalates_to: %s\n" % up)
    return "".join(out)


def sop(rng, index, topic):
    sid = "sop-%02d" % (index + 1)
    owner = ROLES[index % 6][0]
    lines = [
        "---",
        "kind: sop",
        "id: %s" % sid,
        "title: %s" % q(topic),
        "summary: %s" % q(words(rng, 10) + "."),
        'version: "1.%d"' % index,
        "owner: %s" % owner,
        "status: approved",
        "review_cycle: quarterly",
        "last_reviewed: 2025-12-%02d" % (index + 1),
        "tags: [onboarding, %s]" % slugify(topic),
        "applies_to: [SaaS, Managed Services]",
        "prerequisites: [Contract signed, %s]" % q(words(rng, 4)),
        "definitions:",
        "  %s: %s" % (q("Term %d" % (index + 1)), q(words(rng, 8))),
        "steps:",
    ]
    for s in range(6):
        step_owner = ROLES[(index + s) % 6][0]
        lines += [
            "  - id: step-%d" % (s + 1),
            "    title: %s" % q(words(rng, 5)),
            "    owner: %s" % step_owner,
            "    when: within %d business days of the previous step" % (s + 1),
            "    objective: %s" % q(words(rng, 9) + "."),
            "    body: |",
            "      %s." % words(rng, 30),
            "",
            "      - %s" % words(rng, 6),
            "      - %s" % words(rng, 6),
            "      - **%s**" % words(rng, 4),
            "    substeps: [%s, %s]" % (q(words(rng, 5)), q(words(rng, 5))),
            "    checklist: [%s, %s, %s]" % (q(words(rng, 4)), q(words(rng, 4)), q(words(rng, 4))),
            "    mistakes: [%s]" % q(words(rng, 6)),
            "    time_standard: 30 min to 2 h",
            "    tools: [CRM, shared drive]",
            "    escalation: { to: %s, within: 2h, when: %s }"
            % (ROLES[(index + s) % 6][2] or "cs-director", q(words(rng, 5))),
        ]
    lines += [
        "kpis:",
        "  - id: time-to-kickoff",
        "    name: Time to kickoff",
        "    measure: { from: start, to: kickoff, unit: business_days, stat: median }",
        '    target: "< 5"',
        "  - id: time-to-first-value",
        "    name: Time to first value",
        "    measure: { from: start, to: first_value, unit: days, stat: p90 }",
        '    target: "<= 30"',
        "  - id: on-time-milestones",
        "    name: On-time milestones",
        "    measure: { rate: on_time }",
        '    target: ">= 80%"',
        "  - id: completion",
        "    name: Complete by day 90",
        "    measure: { rate: complete_within, days: 90 }",
        '    target: ">= 85%"',
        "  - id: nps",
        "    name: 30-day NPS",
        "    measure: { score: nps, stat: mean }",
        '    target: ">= 40"',
        "checklist: [%s, %s]" % (q(words(rng, 4)), q(words(rng, 4))),
        "revisions: [{ version: \"1.0\", date: 2025-01-10, author: Operations, changes: Initial release }]",
        "approvals: [{ role: cs-director, name: \"\", date: null }]",
        "---",
        "",
        "## Best practices",
        "",
        words(rng, 40) + ".",
        "",
        "## FAQ",
        "",
        "**%s?** %s." % (words(rng, 6), words(rng, 20)),
        "",
    ]
    return sid, "\n".join(lines)


def playbook(pid, title, sop_ids, tiers):
    phases = []
    day = 1
    for k in range(5):
        first, last = day, day + 5
        refs = ", ".join('"%s#step-%d"' % (sop_ids[(2 * k + j) % 10], 1 + (k + j) % 6) for j in range(2))
        phases.append("  - { id: phase-%d, name: %s, days: [%d, %d], sops: [%s, %s], summary: %s }"
                      % (k + 1, q("Phase %d" % (k + 1)), first, last, sop_ids[2 * k], refs,
                         q("Work of phase %d." % (k + 1))))
        day = last + 1
    milestones = []
    for name, marks, offset, criteria, visible in PLAN:
        milestones.append("  - { name: %s, marks: %s, offset: %s, criteria: %s, customer_visible: %s }"
                          % (q(name), marks, offset, q(criteria), "true" if visible else "false"))
    return "\n".join([
        "---",
        "kind: playbook",
        "id: %s" % pid,
        "title: %s" % q(title),
        "summary: %s" % q("How we onboard %s customers." % "/".join(tiers)),
        "tiers: [%s]" % ", ".join(tiers),
        "phases:",
        *phases,
        "milestones:",
        *milestones,
        "checklist: [Kickoff scheduled, Success criteria agreed]",
        "do: [Agree on measurable milestones at kickoff]",
        "dont: [Start before scope is agreed]",
        "pitfalls: [{ title: No done criteria, fix: Agree on 3 to 5 measurable milestones }]",
        "meeting:",
        "  duration: 45 minutes",
        "  attendees: { customer: [Sponsor, Project lead], internal: [CSM, Solutions engineer] }",
        "agenda:",
        "  - { topic: Introductions, duration: 5 min }",
        "  - { topic: Goals and success criteria, duration: 20 min }",
        "  - { topic: Plan and next steps, duration: 20 min }",
        "---",
        "",
        "Phases run back to back; every phase links the SOP steps it uses.",
        "",
    ])


def add_days(day, n):
    return day + datetime.timedelta(days=n)


def business_day(start, n):
    d = start
    left = n
    while left > 0:
        d = add_days(d, 1)
        if d.weekday() < 5 and d.isoformat() not in HOLIDAYS:
            left -= 1
    return d


def person(rng):
    return "%s %s" % (rng.choice(FIRST), rng.choice(LAST))


def tracker(rng, i):
    name = "%s %s %d" % (rng.choice(COMPANY), rng.choice(SUFFIX), i)
    slug = "customer-%05d" % i
    tier = rng.choice(TIERS)
    pid = "enterprise-onboarding" if tier == "enterprise" else "standard-onboarding"
    start = add_days(AS_OF, -rng.randint(0, 200))
    while start.weekday() >= 5:
        start = add_days(start, 1)
    out = [
        "# Customer onboarding tracker (generated)",
        "customer:",
        "  name: %s" % q(name),
        "  slug: %s" % slug,
        "  tier: %s" % tier,
        "  csm: %s" % q(rng.choice(CSMS)),
        "  playbook: %s" % pid,
        '  start_date: "%s"' % start.isoformat(),
        '  target_first_value: "%s"' % add_days(start, 28).isoformat(),
        "",
        "milestones:",
    ]
    # The tracker lists the first milestones of the plan; the plan adds the rest.
    listed = rng.randint(3, len(PLAN))
    offsets = [3, 5, 10, 15, 20, 25, 40]
    for k, (mname, marks, _offset, _criteria, _visible) in enumerate(PLAN[:listed]):
        target = business_day(start, offsets[k])
        out.append("  - name: %s" % q(mname))
        if rng.random() < 0.5:
            out.append("    marks: %s" % marks)
        if rng.random() < 0.6:
            out.append('    target_date: "%s"' % target.isoformat())
        done = add_days(target, rng.randint(-2, 6))
        if done <= AS_OF and rng.random() < 0.85:
            out.append('    actual_date: "%s"' % done.isoformat())
            out.append("    status: complete")
        else:
            out.append("    actual_date: null")
            status = rng.choice(["pending", "in_progress", "in_progress", "blocked"])
            out.append("    status: %s" % status)
            if status != "pending" and rng.random() < 0.5:
                out.append("    blockers: [%s]" % q("Waiting on " + words(rng, 3, cap=False)))
        out.append("")
    out += [
        "health: { engagement: %s, sentiment: %s, risk_level: %s }"
        % (rng.choice(["high", "medium", "low"]), rng.choice(["positive", "neutral", "negative"]),
           rng.choice(["low", "low", "medium", "high"])),
        "scores: { nps: %d, csat: %.1f }" % (rng.randint(-20, 90), rng.uniform(2.5, 5.0)),
        "",
        "stakeholders:",
    ]
    for role, side in [("executive_sponsor", "customer"), ("project_lead", "customer"),
                       ("technical_contact", "customer"), ("csm", "internal")]:
        who = person(rng)
        email = "%s@%s.example" % (who.lower().replace(" ", "."), slug)
        out.append("  - { name: %s, role: %s, side: %s, email: %s }" % (q(who), role, side, q(email)))
    out += ["", "actions:"]
    for _ in range(rng.randint(2, 4)):
        due = add_days(AS_OF, rng.randint(-10, 20))
        out.append("  - { title: %s, owner: %s, side: %s, due: \"%s\", done: %s }"
                   % (q(words(rng, 5)), q(person(rng)), rng.choice(["customer", "internal"]),
                      due.isoformat(), "true" if rng.random() < 0.4 else "false"))
    out += ["", "risks:"]
    for _ in range(rng.randint(0, 2)):
        out.append("  - { title: %s, owner: %s, mitigation: %s, severity: %s }"
                   % (q(words(rng, 5)), q(person(rng)), q(words(rng, 6)),
                      rng.choice(["low", "medium", "high"])))
    if out[-1] == "risks:":
        out[-1] = "risks: []"
    out += ["", "updates:"]
    for k in range(rng.randint(2, 5)):
        when = min(add_days(start, 2 + 7 * k), AS_OF)
        out.append("  - { date: %s, text: %s, visibility: %s }"
                   % (when.isoformat(), q(words(rng, 10) + " **" + words(rng, 2, cap=False) + "**."),
                      rng.choice(["customer", "internal"])))
    out += [
        "",
        "notes: |",
        "  %s." % words(rng, 20),
        "",
        "  - %s" % words(rng, 6),
        "  - %s" % words(rng, 6),
        "",
    ]
    return slug, "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    if os.path.exists(a.out) and os.listdir(a.out):
        sys.exit("refusing: %s exists and is not empty" % a.out)
    rng = random.Random(a.seed)
    write(os.path.join(a.out, "onboard.yaml"), config())
    write(os.path.join(a.out, "playbooks", "roles.yaml"), roles_yaml())
    sop_ids = []
    for index, topic in enumerate(SOP_TOPICS):
        sid, text = sop(rng, index, topic)
        sop_ids.append(sid)
        write(os.path.join(a.out, "playbooks", sid + ".md"), text)
    write(os.path.join(a.out, "playbooks", "standard-onboarding.md"),
          playbook("standard-onboarding", "Standard Onboarding", sop_ids, ["mid-market", "smb"]))
    write(os.path.join(a.out, "playbooks", "enterprise-onboarding.md"),
          playbook("enterprise-onboarding", "Enterprise Onboarding", sop_ids, ["enterprise"]))
    total = 0
    for i in range(1, a.n + 1):
        # One generator per tracker: tracker i is the same whatever N is.
        slug, text = tracker(random.Random(a.seed * 1000003 + i), i)
        total += len(text.encode())
        write(os.path.join(a.out, "content", "customers", slug + ".yaml"), text)
    print("wrote %d trackers (%d bytes of YAML), %d SOPs and 2 playbooks to %s"
          % (a.n, total, len(sop_ids), a.out))


if __name__ == "__main__":
    main()

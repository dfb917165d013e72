#!/usr/bin/env python3
"""Deterministic Markdown pages for benchmarks: N free pages of an onboarding
team's wiki, laid out for onboard or as a Hugo site.

Usage:
  gen_pages.py N OUT [--flavor onboard|hugo] [--seed 11]

Every page has 400 to 600 words (headings, paragraphs, a bulleted list, a
task list, a table, a code block) and links to other pages of the same run,
some to their `#checklist` heading, so every link resolves.

  --flavor onboard (default)  OUT/onboard.yaml and OUT/content/pages/page-NNNNN.md
                              with YAML front matter (title, description, date,
                              tags, extra); `onboard check --root OUT` is clean
  --flavor hugo               the same pages as a complete Hugo site: OUT/hugo.toml,
                              OUT/content/pages/page-NNNNN.md and minimal templates
                              under OUT/layouts/, so both tools build the same text

Page N is at /pages/page-NNNNN/ in both. The same N, flavor and seed always
give the same bytes. OUT must not exist or be empty.
"""
import argparse
import datetime
import os
import random
import sys

# Words of the prose, the headings and the search benchmark's queries.
WORDS = """
account adoption agenda admin alert analytics approval archive audit backlog
baseline billing blocker budget calendar champion change channel checklist
cohort compliance config contract credential customer dashboard data deadline
decision delivery dependency deploy discovery document domain draft escalation
estimate export feedback field forecast gateway goal governance handoff health
import incident integration inventory invoice kickoff launch license
lifecycle mapping meeting metric migration milestone monitor network notice
onboarding outcome owner partner payment permission pilot plan playbook policy
portal priority process project provisioning quarterly query readiness receipt
record refund region release renewal report request review risk roadmap
rollout router runbook sandbox schedule scope security segment session
signoff sponsor staging stakeholder status success summary support survey
sync target task template tenant ticket timeline training trial upgrade usage
user vendor warehouse webhook window workflow workshop workspace
""".split()

CONNECTORS = """the a each every our their this that with for from into before
after during across within about and or then when while""".split()

TEAMS = ["implementation", "success", "support", "solutions", "operations", "enablement"]
OWNERS = ["CSM", "Implementation lead", "Solutions engineer", "Support lead", "Sponsor", "Admin"]

CODE_SAMPLES = [
    ("sh", ["onboard check --root site", "onboard build --root site --out public"]),
    ("yaml", ["milestone: kickoff", "owner: csm", "offset: 3 business days"]),
    ("json", ['{ "customer": "acme", "state": "on_track" }']),
    ("sql", ["select account, status from rollout", "where region = 'emea';"]),
]

FIRST_DAY = datetime.date(2024, 1, 1)


class Page:
    """The Markdown of one page, counting the words a reader sees."""

    def __init__(self):
        self.blocks = []
        self.words = 0

    def add(self, text, words):
        self.blocks.append(text)
        self.words += words

    def markdown(self):
        return "\n\n".join(self.blocks) + "\n"


def words(rng, count):
    return [rng.choice(WORDS) for _ in range(count)]


def sentence(rng, count):
    """A sentence of `count` words, starting with a capital, ending in a full stop."""
    ws = []
    for i in range(count):
        ws.append(rng.choice(CONNECTORS) if i % 4 == 2 else rng.choice(WORDS))
    ws[0] = ws[0].capitalize()
    return " ".join(ws) + "."


def page_url(number):
    return f"/pages/page-{number:05d}/"


def page_name(number):
    return f"page-{number:05d}"


def link(rng, n, me):
    """A link to another page of the run, and the words of its text."""
    other = me
    while n > 1 and other == me:
        other = rng.randint(1, n)
    text = words(rng, 2)
    anchor = "#checklist" if rng.random() < 0.3 else ""
    return f"[{' '.join(text)}]({page_url(other)}{anchor})", len(text)


def paragraph(rng, n, me, target):
    """A paragraph of about `target` words with one link in it."""
    parts, count = [], 0
    while count < target:
        length = rng.randint(8, 16)
        parts.append(sentence(rng, length))
        count += length
    text, linked = link(rng, n, me)
    at = rng.randint(0, len(parts))
    parts.insert(at, f"See {text}.")
    return " ".join(parts), count + 1 + linked


def heading(rng):
    ws = words(rng, rng.randint(2, 4))
    return " ".join(ws).capitalize(), len(ws)


def make_page(rng, n, me):
    page = Page()
    # The last paragraph may pass its goal by up to 18 words and the fill
    # stops within 20 words of it, so every page lands within 400 to 600.
    target = rng.randint(420, 580)

    text, count = paragraph(rng, n, me, rng.randint(40, 70))
    page.add(text, count)

    title, count = heading(rng)
    page.add(f"## {title}", count)
    text, count = paragraph(rng, n, me, rng.randint(50, 80))
    page.add(text, count)
    items, count = [], 0
    for _ in range(rng.randint(3, 5)):
        ws = words(rng, rng.randint(3, 7))
        items.append("- " + " ".join(ws).capitalize())
        count += len(ws)
    page.add("\n".join(items), count)

    page.add("## Checklist", 1)
    items, count = [], 0
    for i in range(rng.randint(3, 5)):
        ws = words(rng, rng.randint(3, 6))
        mark = "x" if i < 2 else " "
        items.append(f"- [{mark}] " + " ".join(ws).capitalize())
        count += len(ws)
    page.add("\n".join(items), count)

    title, count = heading(rng)
    page.add(f"## {title}", count)
    rows = [["Step", "Owner", "Days"]]
    for _ in range(rng.randint(3, 5)):
        step = " ".join(words(rng, 2)).capitalize()
        rows.append([step, rng.choice(OWNERS), str(rng.randint(1, 30))])
    lines = ["| " + " | ".join(row) + " |" for row in rows]
    lines.insert(1, "| --- | --- | ---: |")
    page.add("\n".join(lines), sum(len(cell.split()) for row in rows for cell in row))

    language, lines = rng.choice(CODE_SAMPLES)
    page.add(f"```{language}\n" + "\n".join(lines) + "\n```", sum(len(l.split()) for l in lines))

    # Prose until the page reaches its length, then links to related pages.
    related = [link(rng, n, me) for _ in range(3)]
    related_words = 1 + sum(count for _, count in related)
    while target - page.words - related_words > 20:
        text, count = paragraph(rng, n, me, min(60, target - page.words - related_words))
        page.add(text, count)
    page.add("## Related", 1)
    page.add("\n".join(f"- {text}" for text, _ in related), related_words - 1)
    return page


def front_matter(rng, me, title, flavor):
    date = FIRST_DAY + datetime.timedelta(days=rng.randint(0, 700))
    tags = sorted(set(words(rng, 2)))
    description = sentence(rng, rng.randint(8, 14))
    lines = [
        "---",
        f'title: "{title}"',
        f'description: "{description}"',
        f"date: {date.isoformat()}",
        f"tags: [{', '.join(tags)}]",
    ]
    if flavor == "onboard":
        lines += ["extra:", f"  team: {rng.choice(TEAMS)}", f"  number: {me}"]
    else:
        lines += ["params:", f"  team: {rng.choice(TEAMS)}", f"  number: {me}"]
    lines.append("---")
    return "\n".join(lines)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


ONBOARD_CONFIG = """\
# Generated by benches/gen_pages.py.
title: Bench Pages
base_url: https://bench.example.com/
as_of: 2026-01-25
share:
  enabled: false
"""

HUGO_CONFIG = """\
# Generated by benches/gen_pages.py.
baseURL = "https://bench.example.com/"
title = "Bench Pages"
disableKinds = ["taxonomy", "term", "RSS"]
"""

HUGO_LAYOUTS = {
    "layouts/_default/baseof.html": """\
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{ .Title }} · {{ .Site.Title }}</title>
<link rel="stylesheet" href="{{ "style.css" | relURL }}">
</head>
<body>
<header><a href="{{ "" | relURL }}">{{ .Site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
""",
    "layouts/_default/single.html": """\
{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
{{ with .Description }}<p>{{ . }}</p>{{ end }}
{{ with .Params.tags }}<p>{{ delimit . ", " }}</p>{{ end }}
<nav>{{ .TableOfContents }}</nav>
{{ .Content }}
</article>
{{ end }}
""",
    "layouts/_default/list.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
{{ end }}
""",
    "layouts/index.html": """\
{{ define "main" }}
<h1>{{ .Site.Title }}</h1>
<ul>{{ range .Site.RegularPages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
{{ end }}
""",
    "static/style.css": "body { font-family: sans-serif; max-width: 48rem; margin: 0 auto; }\n",
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of pages")
    parser.add_argument("out", help="output folder (missing or empty)")
    parser.add_argument("--flavor", choices=["onboard", "hugo"], default="onboard")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    if args.n < 1:
        sys.exit("gen_pages.py: N must be at least 1")
    if os.path.exists(args.out) and os.listdir(args.out):
        sys.exit(f"gen_pages.py: {args.out} is not empty")

    if args.flavor == "onboard":
        write(os.path.join(args.out, "onboard.yaml"), ONBOARD_CONFIG)
    else:
        write(os.path.join(args.out, "hugo.toml"), HUGO_CONFIG)
        for path, text in HUGO_LAYOUTS.items():
            write(os.path.join(args.out, path), text)

    rng = random.Random(args.seed)
    for me in range(1, args.n + 1):
        title = f"{heading(rng)[0]} {me}"
        head = front_matter(rng, me, title, args.flavor)
        body = make_page(rng, args.n, me).markdown()
        write(os.path.join(args.out, "content", "pages", page_name(me) + ".md"), f"{head}\n\n{body}")
    print(f"wrote {args.n} pages ({args.flavor}) under {args.out}")


if __name__ == "__main__":
    main()

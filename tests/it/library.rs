//! The library-wide pages on the `library` fixture: the review page and
//! feed as of dates around a due date, the print page (every approved
//! SOP's steps, links that resolve within the page), and the tag pages.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use crate::common::fixture;
use assert_cmd::Command;

fn onboard() -> Command {
    let mut command = Command::cargo_bin("onboard").unwrap();
    command.env("NO_COLOR", "1");
    command
}

/// Builds `root` into `out` as of `as_of`.
fn build(root: &Path, out: &Path, as_of: &str) {
    let result = onboard()
        .args(["build", "--as-of", as_of, "--root"])
        .arg(root)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    assert!(
        result.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&result.stderr)
    );
}

fn read(out: &Path, path: &str) -> String {
    fs::read_to_string(out.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The values of every `name="…"` attribute of `html`.
fn attributes<'h>(html: &'h str, name: &str) -> Vec<&'h str> {
    let start = format!(" {name}=\"");
    html.match_indices(&start)
        .map(|(at, _)| {
            let from = at + start.len();
            let len = html[from..].find('"').unwrap();
            &html[from..from + len]
        })
        .collect()
}

/// SOP id → review state, from the rows of the review page.
fn review_states(html: &str) -> BTreeMap<String, String> {
    let mut states = BTreeMap::new();
    for (at, _) in html.match_indices("data-state=\"") {
        let rest = &html[at + 12..];
        let state = &rest[..rest.find('"').unwrap()];
        let link = "<a href=\"../sops/";
        let from = rest.find(link).unwrap() + link.len();
        let id = &rest[from..from + rest[from..].find('/').unwrap()];
        states.insert(id.to_string(), state.to_string());
    }
    states
}

#[test]
fn review_states_follow_the_as_of_date_around_a_due_date() {
    let (dir, root) = fixture("library");
    // `handoff` is reviewed monthly, last on 2026-02-25: due 2026-03-25.
    for (as_of, handoff) in [
        ("2026-02-22", "fine"),
        ("2026-02-23", "due_soon"),
        ("2026-03-24", "due_soon"),
        ("2026-03-25", "due_soon"),
        ("2026-03-26", "overdue"),
    ] {
        let out = dir.path().join(format!("out-{as_of}"));
        build(&root, &out, as_of);
        let states = review_states(&read(&out, "reviews/index.html"));
        assert_eq!(states["handoff"], handoff, "as of {as_of}");
        // Without a review cycle, never due.
        assert_eq!(states["escalation"], "unscheduled", "as of {as_of}");
        // Drafts are not built, so they are not listed.
        assert!(!states.contains_key("future"));
    }

    let out = dir.path().join("out");
    build(&root, &out, "2026-03-20");
    let page = read(&out, "reviews/index.html");
    let states = review_states(&page);
    let expected: BTreeMap<String, String> = [
        ("escalation", "unscheduled"),
        ("handoff", "due_soon"),
        ("kickoff", "due_soon"),
        ("legacy", "overdue"),
        ("renewal", "overdue"),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(states, expected);
    // Grouped by owner: owners with overdue SOPs first (by name among
    // equals), SOPs without an owner last; in a group, overdue first.
    let groups: Vec<&str> = attributes(&page, "id")
        .into_iter()
        .filter(|id| id.starts_with("owner-") && !id.ends_with("-title"))
        .collect();
    assert_eq!(
        groups,
        ["owner-cs-lead", "owner-csm", "owner-impl", "owner-none"]
    );
    let csm =
        &page[page.find("id=\"owner-csm\"").unwrap()..page.find("id=\"owner-impl\"").unwrap()];
    assert!(csm.find("sops/legacy/").unwrap() < csm.find("sops/kickoff/").unwrap());
    assert!(page.contains("2 overdue"), "{page}");

    // The home page links to it and counts the overdue reviews.
    let home = read(&out, "index.html");
    assert!(home.contains("href=\"reviews/index.html\""));
    assert!(home.contains("data-overdue-reviews=\"2\""), "{home}");

    // The feed: one event per SOP with a due date, on that date.
    let feed = read(&out, "reviews/reviews.ics");
    assert!(feed.starts_with("BEGIN:VCALENDAR\r\n"));
    assert_eq!(feed.matches("BEGIN:VEVENT").count(), 4, "{feed}");
    assert!(feed.contains("UID:review-handoff@library.example.com\r\n"));
    assert!(
        feed.contains("SUMMARY:Review due: Handoff\r\nDESCRIPTION:Owner: Implementation Owner")
    );
    let handoff = &feed[feed.find("UID:review-handoff").unwrap()..];
    assert!(handoff.contains("DTSTART;VALUE=DATE:20260325\r\nDTEND;VALUE=DATE:20260326"));
    assert!(feed.contains("URL:https://library.example.com/sops/handoff/\r\n"));
    assert!(page.contains("href=\"../reviews/reviews.ics\""));
}

/// Checks that every link of `page` (an output path) resolves: anchors to
/// an id of the page, paths to a file of `out` (and its anchor, if any);
/// with `unique_ids`, that no id is repeated.
fn assert_links_resolve(out: &Path, page: &str, unique_ids: bool) -> usize {
    let html = read(out, page);
    let ids: Vec<&str> = attributes(&html, "id");
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    if unique_ids {
        assert_eq!(unique.len(), ids.len(), "{page}: repeated ids");
    }
    let base = Path::new(page).parent().unwrap();
    let mut checked = 0;
    for href in attributes(&html, "href") {
        if href.contains(':') {
            continue;
        }
        let (path, fragment) = href.split_once('#').unwrap_or((href, ""));
        if path.is_empty() {
            assert!(unique.contains(fragment), "{page}: no anchor {href}");
        } else {
            let mut target = base.to_path_buf();
            for part in path.split('/') {
                match part {
                    ".." => assert!(target.pop(), "{page}: {href} leaves the site"),
                    "" | "." => {}
                    name => target.push(name),
                }
            }
            // A folder link, as an author may write one (`../handoff/`).
            if path.ends_with('/') {
                target.push("index.html");
            }
            let text = fs::read_to_string(out.join(&target))
                .unwrap_or_else(|_| panic!("{page}: {href} → {} is missing", target.display()));
            if !fragment.is_empty() {
                assert!(
                    text.contains(&format!("id=\"{fragment}\"")),
                    "{page}: {href}: no anchor"
                );
            }
        }
        checked += 1;
    }
    checked
}

#[test]
fn the_print_page_holds_every_approved_sop_and_its_links_resolve_within_it() {
    let (dir, root) = fixture("library");
    let out = dir.path().join("out");
    build(&root, &out, "2026-03-20");
    let page = read(&out, "print/index.html");

    // Every approved SOP and every one of its steps, each with its anchor.
    for (sop, steps) in [
        ("escalation", &["call-the-lead"][..]),
        ("handoff", &["transfer-notes", "close-out"][..]),
        ("kickoff", &["confirm-readiness", "hold-the-meeting"][..]),
        ("renewal", &["pull-usage"][..]),
    ] {
        assert!(page.contains(&format!("id=\"sop-{sop}\"")), "{sop}");
        for step in steps {
            assert!(
                page.contains(&format!("id=\"sop-{sop}--{step}\"")),
                "{sop}#{step}"
            );
        }
    }
    for title in [
        "Confirm readiness",
        "Hold the meeting",
        "Transfer notes",
        "Close out",
        "Pull usage",
        "Call the lead",
    ] {
        assert!(page.contains(title), "{title}");
    }
    // Retired and draft SOPs are not in it.
    assert!(!page.contains("Legacy only step"));
    assert!(!page.contains("Draft only step"));
    // SOPs, then playbooks, then roles, then the glossary.
    let order: Vec<usize> = [
        "id=\"contents\"",
        "id=\"print-sops\"",
        "id=\"print-playbooks\"",
        "id=\"roles\"",
        "id=\"glossary\"",
    ]
    .iter()
    .map(|id| page.find(id).unwrap_or_else(|| panic!("{id}")))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    // A page break before each document.
    assert_eq!(page.matches("class=\"print-doc print-sop\"").count(), 4);
    assert_eq!(
        page.matches("class=\"print-doc print-playbook\"").count(),
        1
    );

    // Links between documents become anchors of this page, read from the
    // page they were written on; the two "Notes" headings stay apart.
    for link in [
        "href=\"#sop-handoff--transfer-notes\"",
        "href=\"#sop-kickoff--confirm-readiness\"",
        "href=\"#sop-kickoff---agenda\"",
        "href=\"#sop-kickoff---notes\"",
        "href=\"#sop-kickoff--confirm-readiness---notes\"",
        "href=\"#sop-kickoff--hold-the-meeting\"",
        "href=\"#sop-handoff\"",
        "href=\"#role-csm\"",
        "href=\"#term-sla\"",
        "href=\"#playbook-standard--welcome\"",
        "href=\"../pages/guide/index.html\"",
    ] {
        assert!(page.contains(link), "{link}");
    }
    assert!(page.contains("id=\"sop-handoff---notes\""));
    assert!(page.contains("id=\"sop-handoff--transfer-notes---notes\""));
    // Checklists print as boxes.
    assert!(page.contains("<ul class=\"print-checklist\"><li><span class=\"print-box\" aria-hidden=\"true\">☐</span> Contract signed</li>"));
    // Nothing that needs a server: no link leaves the page but to files.
    assert!(!page.contains("href=\"/"));
    assert!(!page.contains("src=\"/"));

    let checked = assert_links_resolve(&out, "print/index.html", true);
    assert!(checked > 40, "{checked} links");
}

#[test]
fn a_heading_shared_by_an_sop_body_and_a_step_gets_two_ids_that_links_and_the_check_agree_on() {
    // The kickoff SOP's body and its first step both have "## Notes".
    let (dir, root) = fixture("library");
    fs::write(
        root.join("content/pages/notes.md"),
        "# Notes\n\n[The step's](/sops/kickoff/#notes), [the body's](/sops/kickoff/#notes-1).\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    build(&root, &out, "2026-03-20");
    let page = read(&out, "sops/kickoff/index.html");

    // The step, shown first, keeps `notes`; the body's heading is `notes-1`.
    let step = &page[page.find("id=\"confirm-readiness\"").unwrap()..];
    let step = &step[..step.find("</section>").unwrap()];
    assert!(step.contains("<h5 id=\"notes\">Notes</h5>"), "{step}");
    assert!(step.contains("href=\"#notes\""), "{step}");
    let body = &page[page.find("id=\"sop-guidance\"").unwrap()..];
    let body = &body[..body.find("</section>").unwrap()];
    assert!(body.contains("<h3 id=\"notes-1\">Notes</h3>"), "{body}");
    // The body's own "See [Notes](#notes)" goes to the body's heading, and
    // so does the table of contents.
    assert!(body.contains("href=\"#notes-1\""), "{body}");
    assert!(!body.contains("href=\"#notes\""), "{body}");
    assert!(page.contains("<a href=\"#notes-1\">Notes</a>"));
    // Every id once, every link to an id of the page or a file.
    assert_links_resolve(&out, "sops/kickoff/index.html", true);
    assert_links_resolve(&out, "pages/notes/index.html", false);

    // The link check knows both ids, and no third.
    let (code, diagnostics) = crate::common::check_json(onboard(), &root);
    assert_eq!(code, 0, "{diagnostics:#?}");
    fs::write(
        root.join("content/pages/notes.md"),
        "# Notes\n\n[None](/sops/kickoff/#notes-2).\n",
    )
    .unwrap();
    let (code, diagnostics) = crate::common::check_json(onboard(), &root);
    assert_eq!(code, 1, "{diagnostics:#?}");
    let messages: Vec<&str> = diagnostics
        .iter()
        .filter_map(|d| d["message"].as_str())
        .filter(|m| m.contains("#notes"))
        .collect();
    assert_eq!(messages.len(), 1, "{diagnostics:#?}");
    assert!(messages[0].contains("`#notes-2`"), "{messages:?}");
}

#[test]
fn tags_differing_in_case_or_spelling_are_one_tag_with_one_page() {
    let (dir, root) = fixture("library");
    let out = dir.path().join("out");
    build(&root, &out, "2026-03-20");

    let index = read(&out, "tags/index.html");
    for tag in ["saas", "kickoff", "onboarding", "support"] {
        assert!(
            index.contains(&format!("href=\"../tags/{tag}/index.html\"")),
            "{tag}"
        );
    }
    // `SaaS` (kickoff), `saas` (handoff, the playbook) and `SAAS` (the
    // guide) are one tag, named as first written: SOPs go by id.
    let saas = read(&out, "tags/saas/index.html");
    assert!(saas.contains("<span class=\"tag\">saas</span>"), "{saas}");
    for link in [
        "../../sops/handoff/index.html",
        "../../sops/kickoff/index.html",
        "../../playbooks/standard/index.html",
        "../../pages/guide/index.html",
    ] {
        assert!(saas.contains(&format!("href=\"{link}\"")), "{link}");
    }
    assert!(saas.contains("4 items tagged"));
    // `Onboarding` (playbook) and `onboarding` (page).
    let onboarding = read(&out, "tags/onboarding/index.html");
    assert!(onboarding.contains("2 items tagged"), "{onboarding}");
    // Only what carries a tag gets a page.
    assert!(!out.join("tags/renewal").exists());

    // Tags shown on pages link there.
    let sop = read(&out, "sops/kickoff/index.html");
    assert!(
        sop.contains("<a class=\"tag\" href=\"../../tags/saas/index.html\">SaaS</a>"),
        "{sop}"
    );
    let playbook = read(&out, "playbooks/standard/index.html");
    assert!(playbook.contains("href=\"../../tags/onboarding/index.html\">Onboarding</a>"));
    let guide = read(&out, "pages/guide/index.html");
    assert!(guide.contains("href=\"../../tags/saas/index.html\">SAAS</a>"));
    let home = read(&out, "index.html");
    assert!(home.contains("href=\"tags/kickoff/index.html\">Kickoff</a>"));

    for page in [
        "tags/index.html",
        "tags/saas/index.html",
        "reviews/index.html",
        "index.html",
    ] {
        assert_links_resolve(&out, page, true);
    }
    // The SOP's body and a step's body both have a "Notes" heading, which
    // the SOP page gives one id twice; the print page keeps them apart.
    for page in ["sops/kickoff/index.html", "pages/guide/index.html"] {
        assert_links_resolve(&out, page, false);
    }
}

#[test]
fn a_tag_that_cannot_name_a_page_is_a_located_error() {
    let (_dir, root) = fixture("library");
    let path = root.join("playbooks/handoff.md");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, text.replace("tags: [saas]", "tags: [saas, \"%%%\"]")).unwrap();
    let (status, diagnostics) = crate::common::check_json(onboard(), &root);
    assert_eq!(status, 1, "{diagnostics:#?}");
    let errors: Vec<_> = diagnostics
        .iter()
        .filter(|d| d["level"] == "error")
        .collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let error = errors[0];
    assert_eq!(error["code"], "unsafe-name");
    assert_eq!(error["file"], "playbooks/handoff.md");
    assert_eq!(error["line"], 9);
    assert_eq!(error["column"], 15);
    assert!(
        error["message"].as_str().unwrap().contains("the tag `%%%`"),
        "{error}"
    );
}

#[test]
fn a_playbook_page_gives_its_phases_summaries_and_body_ids_that_links_and_the_check_agree_on() {
    // A phase `welcome` whose summary has "### Notes", and a body with
    // "## Welcome" and "## Notes".
    let (dir, root) = fixture("library");
    let file = root.join("playbooks/standard.md");
    let text = fs::read_to_string(&file).unwrap().replace(
        r#"summary: "Start with [the handoff](/sops/handoff/)." }"#,
        r#"summary: "Start with [the handoff](/sops/handoff/).\n\n### Notes\n\nSee [the notes](#notes)." }"#,
    );
    let text = text.replace(
        "## Overview\n",
        "## Overview\n\n## Welcome\n\n## Notes\n\nSee [these notes](#notes).\n",
    );
    fs::write(&file, text).unwrap();
    fs::write(
        root.join("content/pages/notes.md"),
        "# Notes\n\n[Phase](/playbooks/standard/#welcome), [its notes](/playbooks/standard/#notes), [the body's](/playbooks/standard/#welcome-1), [and](/playbooks/standard/#notes-1).\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    build(&root, &out, "2026-03-20");
    let page = read(&out, "playbooks/standard/index.html");

    // The phase keeps its id, its summary's heading comes next, the body's last.
    assert!(page.contains("<li id=\"welcome\" class=\"phase"), "{page}");
    let phase = &page[page.find("<li id=\"welcome\"").unwrap()..];
    let phase = &phase[..phase.find("</li>").unwrap()];
    assert!(phase.contains("id=\"notes\">Notes</h"), "{phase}");
    assert!(phase.contains("href=\"#notes\""), "{phase}");
    assert!(page.contains("<h3 id=\"welcome-1\">Welcome</h3>"), "{page}");
    assert!(page.contains("<h3 id=\"notes-1\">Notes</h3>"), "{page}");
    assert!(page.contains("href=\"#notes-1\""), "{page}");
    // Every id once, every link to an id of the page or a file.
    assert_links_resolve(&out, "playbooks/standard/index.html", true);
    assert_links_resolve(&out, "pages/notes/index.html", false);

    // The link check knows these ids, and no other.
    let (code, diagnostics) = crate::common::check_json(onboard(), &root);
    assert_eq!(code, 0, "{diagnostics:#?}");
    fs::write(
        root.join("content/pages/notes.md"),
        "# Notes\n\n[None](/playbooks/standard/#phase-welcome).\n",
    )
    .unwrap();
    let (code, diagnostics) = crate::common::check_json(onboard(), &root);
    assert_eq!(code, 1, "{diagnostics:#?}");
}

#[test]
fn headings_in_a_customers_texts_never_take_an_id_of_its_pages() {
    // Notes, an update and a welcome with headings named like the status
    // and share pages' own sections.
    let (dir, root) = fixture("library");
    fs::create_dir_all(root.join("content/customers")).unwrap();
    fs::write(
        root.join("content/customers/acme.yaml"),
        r###"customer:
  name: Acme
  slug: acme
  start_date: "2026-03-02"
  welcome: "## Welcome\n\nGlad to have you."
milestones:
  - { name: Kickoff, target_date: "2026-03-05", actual_date: "2026-03-05", status: complete }
updates:
  - { date: "2026-03-05", text: "## Updates\n\nKickoff held. See [below](#updates-1).", visibility: customer }
notes: "## Risks\n\nNone yet; see [the notes](#risks-1)."
"###,
    )
    .unwrap();
    let out = dir.path().join("out");
    build(&root, &out, "2026-03-20");

    let status = read(&out, "customers/acme/index.html");
    assert!(status.contains("id=\"risks-1\">Risks</h"), "{status}");
    assert!(status.contains("id=\"updates-1\">Updates</h"), "{status}");
    assert_links_resolve(&out, "customers/acme/index.html", true);

    let share = read(&out, "share/acme/index.html");
    assert!(share.contains("id=\"welcome-1\">Welcome</h"), "{share}");
    assert!(share.contains("id=\"updates-1\">Updates</h"), "{share}");
    assert_links_resolve(&out, "share/acme/index.html", true);
}

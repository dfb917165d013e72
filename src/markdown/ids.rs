//! Heading ids unique on a page: the ids a page's own elements take, and
//! those given to the headings of each Markdown text it shows.

use std::collections::HashSet;

/// The id a heading asks for: its explicit id or the slug of its text.
pub(super) fn wanted_id(explicit: Option<String>, text: &str) -> String {
    let wanted = explicit.unwrap_or_else(|| crate::model::slugify(text));
    if wanted.is_empty() {
        "section".to_string()
    } else {
        wanted
    }
}

/// The ids given out on one page that shows several Markdown texts (an
/// SOP page: its steps' bodies and its own body), so that two texts with
/// the same heading do not give the page two elements with one id: a
/// repeated heading gets `-1`, `-2`... in the order the texts are given
/// out, which is the order they are shown.
#[derive(Clone, Debug, Default)]
pub struct PageIds {
    /// The ids of the page's own elements (a fixed list per kind of page,
    /// so that a page without Markdown costs nothing).
    reserved: &'static [&'static str],
    /// The ids given out so far, and the page's ids that vary by document.
    pub(super) used: HashSet<String>,
}

// Each list below is held equal, by a test in `render::theme`, to the ids
// its template (with the templates it extends and includes) writes out.

/// The ids the default theme's SOP page gives its own elements
/// (`sop.html`, `partials/sop_toc.html`, `partials/kpi_table.html` and
/// the header), which headings must not take.
pub const SOP_PAGE_IDS: &[&str] = &[
    "main",
    "site-search",
    "toc-title",
    "sop-title",
    "sop-prerequisites",
    "sop-prerequisites-title",
    "sop-definitions",
    "sop-definitions-title",
    "sop-roles",
    "sop-roles-title",
    "sop-steps",
    "sop-steps-title",
    "sop-checklist",
    "sop-checklist-title",
    "sop-quality",
    "sop-quality-title",
    "sop-kpis",
    "sop-kpis-title",
    "sop-guidance",
    "sop-used-by",
    "sop-used-by-title",
    "sop-revisions",
    "sop-revisions-title",
    "sop-approvals",
    "sop-approvals-title",
];

/// The ids the default theme's playbook page gives its own elements
/// (`playbook.html`, `partials/phase_timeline.html`, `partials/agenda.html`
/// and the header), which headings must not take.
pub const PLAYBOOK_PAGE_IDS: &[&str] = &[
    "main",
    "site-search",
    "toc-title",
    "playbook-title",
    "pb-timeline",
    "pb-timeline-title",
    "pb-milestones",
    "pb-milestones-title",
    "pb-plan-by-tier",
    "pb-plan-by-tier-title",
    "pb-defaults",
    "pb-defaults-title",
    "pb-agenda-title",
    "pb-kickoff",
    "pb-kickoff-title",
    "pb-do-dont",
    "pb-do-dont-title",
    "pb-pitfalls",
    "pb-pitfalls-title",
    "pb-checklist",
    "pb-checklist-title",
    "pb-customers",
    "pb-customers-title",
    "pb-notes",
];

/// The ids the default theme's status page (`customer.html`) gives its own
/// elements, which headings in the updates and the notes must not take.
pub const CUSTOMER_PAGE_IDS: &[&str] = &[
    "main",
    "site-search",
    "customer-title",
    "actions",
    "actions-title",
    "timeline",
    "timeline-title",
    "milestones",
    "milestones-title",
    "blockers",
    "blockers-title",
    "risks",
    "risks-title",
    "health",
    "health-title",
    "stakeholders",
    "stakeholders-title",
    "updates",
    "updates-title",
    "notes",
    "notes-title",
];

/// The ids the default theme's share page (`share.html`) gives its own
/// elements, which headings in the welcome and the updates must not take.
pub const SHARE_PAGE_IDS: &[&str] = &[
    "main",
    "welcome",
    "needs",
    "needs-title",
    "next-title",
    "progress-title",
    "contact-title",
    "milestones",
    "milestones-title",
    "timeline",
    "timeline-title",
    "actions",
    "actions-title",
    "updates",
    "updates-title",
    "people",
    "people-title",
];

impl PageIds {
    /// The ids of a page whose own elements take `reserved`, before its
    /// Markdown texts are given out in the order the page shows them.
    fn reserving(reserved: &'static [&'static str]) -> PageIds {
        PageIds {
            reserved,
            used: HashSet::new(),
        }
    }

    /// The ids of a customer's status page before its updates and notes
    /// are given out: the page's own sections.
    pub fn for_customer_page() -> PageIds {
        PageIds::reserving(CUSTOMER_PAGE_IDS)
    }

    /// The ids of a customer's share page before its welcome and updates
    /// are given out: the page's own sections.
    pub fn for_share_page() -> PageIds {
        PageIds::reserving(SHARE_PAGE_IDS)
    }

    /// `wanted`, or the first of `wanted-1`, `wanted-2`... that the page
    /// does not hold yet; from now on held.
    pub(super) fn claim(&mut self, wanted: &str) -> String {
        let mut unique = wanted.to_string();
        let mut n = 1;
        while self.reserved.contains(&unique.as_str()) || self.used.contains(&unique) {
            unique = format!("{wanted}-{n}");
            n += 1;
        }
        self.used.insert(unique.clone());
        unique
    }

    /// The ids of a playbook page before its Markdown is rendered: the
    /// page's own elements, each phase (its id) and the boxes of its
    /// checklist. The phase summaries are then given out in order, and the
    /// playbook's body last, as the page shows them.
    pub fn for_playbook(playbook: &crate::model::Playbook, phase_ids: &[String]) -> PageIds {
        let mut ids = PageIds::reserving(PLAYBOOK_PAGE_IDS);
        ids.used.extend(phase_ids.iter().cloned());
        ids.used
            .extend((1..=playbook.checklist.len()).map(|n| format!("check-playbook-{n}")));
        ids
    }

    /// The ids of an SOP page before its Markdown is rendered: the page's
    /// own elements, and for each step its section (the step id), its
    /// title and checklist heading (`partials/step.html`) and the boxes of
    /// the checklists (`partials/checklist.html`). The step bodies are then
    /// given out in order, and the SOP's body last, as the page shows them.
    pub fn for_sop(sop: &crate::model::Sop, step_ids: &[String]) -> PageIds {
        let mut ids = PageIds::reserving(SOP_PAGE_IDS);
        let used = &mut ids.used;
        let boxes = |key: &str, count: usize| -> Vec<String> {
            (1..=count).map(|n| format!("check-{key}-{n}")).collect()
        };
        used.extend(boxes("completion", sop.checklist.len()));
        for (step, id) in sop.steps.iter().zip(step_ids) {
            used.extend([
                id.clone(),
                format!("{id}-title"),
                format!("{id}-checklist-title"),
            ]);
            used.extend(boxes(&format!("step-{id}"), step.checklist.len()));
        }
        ids
    }
}

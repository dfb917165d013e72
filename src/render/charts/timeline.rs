//! Milestone timelines: a Gantt-like chart of one customer's milestones,
//! their planned and actual dates, and today.

use std::fmt::Write as _;

use chrono::{Datelike, Duration, NaiveDate};

use super::labels::{sentence, status_words};
use super::svg::{self, Anchor, Escaped, GRID, INK, LATE_FILL, LATE_SPAN, Num, Svg, fill_for};
use super::{
    BASELINE_DROP, Chart, MARGIN, ROW_HEIGHT, WIDTH, anchor_near, label_column, text_width,
};

/// One milestone row of a [`milestone_timeline`].
#[derive(Clone, Debug, PartialEq)]
pub struct TimelineRow {
    /// Milestone name, shown on the left.
    pub name: String,
    /// Planned date: a hollow diamond.
    pub target: Option<NaiveDate>,
    /// Date done: a filled circle.
    pub actual: Option<NaiveDate>,
    /// `pending | in_progress | complete | blocked | skipped`, shown on the right.
    pub status: String,
    /// Open and past its target as of the chart's date.
    pub late: bool,
    /// Days past target, for the "late 3d" label.
    pub days_late: Option<i64>,
}

/// A Gantt-like milestone chart: one row per milestone with its name on the
/// left and its status on the right; the planned date as a hollow diamond,
/// the actual date as a filled circle, a line between them (or from the
/// target to the as-of date while late and open), and a dashed "today" line
/// labelled with the as-of date. Late rows get the class `late`, a red dashed
/// line and the text "late 3d"; rows without any date say "no date".
///
/// The date axis runs from the earliest of `start`, `as_of` and the row
/// dates to the latest of them, padded, with day, week or month ticks chosen
/// to fit.
pub fn milestone_timeline(
    id: &str,
    title: &str,
    start: Option<NaiveDate>,
    as_of: NaiveDate,
    rows: &[TimelineRow],
) -> String {
    milestone_timeline_chart(title, start, as_of, rows).svg(id)
}

/// [`milestone_timeline`] before it is given an id.
pub fn milestone_timeline_chart(
    title: &str,
    start: Option<NaiveDate>,
    as_of: NaiveDate,
    rows: &[TimelineRow],
) -> Chart {
    let desc = timeline_desc(as_of, rows);
    if rows.is_empty() {
        return Chart::no_data("timeline", title, desc);
    }
    let statuses: Vec<(String, Option<String>)> = rows
        .iter()
        .map(|row| {
            (
                status_words(&row.status),
                row.late.then(|| late_label(row.days_late)),
            )
        })
        .collect();
    let axis = DateAxis::new(start, as_of, rows, &statuses);
    let top = 24.0;
    let bottom = top + rows.len() as f64 * ROW_HEIGHT;
    let today_label_y = bottom + 18.0;
    let legend_y = today_label_y + 20.0;

    let mut svg = Svg::default();
    let max_ticks = (((axis.right - axis.left) / 60.0).floor() as i64).max(2);
    for (date, label) in date_ticks(axis.start, axis.end, max_ticks) {
        let tick_x = axis.x(date);
        svg.line("grid", (tick_x, top - 4.0, tick_x, bottom), GRID);
        svg.text(tick_x, 14.0, Anchor::Middle, "tick", &label);
    }
    svg.line("axis", (axis.left, top - 4.0, axis.left, bottom), INK);
    for (index, (row, status)) in rows.iter().zip(&statuses).enumerate() {
        let middle = top + index as f64 * ROW_HEIGHT + ROW_HEIGHT / 2.0;
        draw_row(&mut svg, &axis, middle, row, status, as_of);
    }

    let today_x = axis.x(as_of);
    svg.line(
        "today",
        (today_x, top - 8.0, today_x, bottom + 4.0),
        " stroke=\"currentColor\" stroke-width=\"1.5\" stroke-dasharray=\"3 3\"",
    );
    let today_text = format!("today {as_of}");
    let (label_x, anchor) = anchor_near(today_x, &today_text);
    svg.text(label_x, today_label_y, anchor, "today-label", &today_text);
    legend(&mut svg, legend_y);
    let mut chart = Chart::new("timeline", legend_y + MARGIN, title, desc, svg);
    chart.today_x = Some(today_x);
    chart
}

/// The date axis of a timeline, between the name and status columns.
struct DateAxis {
    /// The first day on the axis.
    start: NaiveDate,
    /// The last day on the axis.
    end: NaiveDate,
    /// The x of `start`: the end of the name column.
    left: f64,
    /// The x of `end`: the start of the status column.
    right: f64,
}

impl DateAxis {
    /// The axis from the earliest of `start`, `as_of` and the row dates to
    /// the latest of them, padded, between columns wide enough for the
    /// rows' names and statuses.
    fn new(
        start: Option<NaiveDate>,
        as_of: NaiveDate,
        rows: &[TimelineRow],
        statuses: &[(String, Option<String>)],
    ) -> DateAxis {
        let dates = rows
            .iter()
            .flat_map(|row| [row.target, row.actual])
            .flatten()
            .chain(start)
            .chain([as_of]);
        let first = dates.clone().min().unwrap_or(as_of);
        let last = dates.max().unwrap_or(as_of);
        // Padding keeps markers off the plot's edges, where they would meet
        // the name and status columns.
        let pad = ((last - first).num_days() / 20).max(2);
        let status_chars = statuses
            .iter()
            .map(|(status, late)| {
                status.chars().count() + late.as_ref().map_or(0, |l| l.chars().count() + 1)
            })
            .max();
        let status_width = (text_width(status_chars) + 16.0).clamp(70.0, 200.0);
        let left = MARGIN + label_column(rows.iter().map(|row| row.name.as_str()));
        DateAxis {
            start: first - Duration::days(pad),
            end: last + Duration::days(pad),
            left,
            right: (WIDTH - MARGIN - status_width).max(left + 1.0),
        }
    }

    /// The x of a date.
    fn x(&self, date: NaiveDate) -> f64 {
        let total_days = (self.end - self.start).num_days() as f64;
        self.left + (date - self.start).num_days() as f64 / total_days * (self.right - self.left)
    }
}

/// One milestone's row: its name, a span from target to done (or to today
/// while late), the target diamond, the done circle and the status, with
/// "late 3d" in bold when late.
fn draw_row(
    svg: &mut Svg,
    axis: &DateAxis,
    middle: f64,
    row: &TimelineRow,
    (status, late): &(String, Option<String>),
    as_of: NaiveDate,
) {
    let status_class = svg::css_token(&row.status);
    let late_class = if row.late { " late" } else { "" };
    let _ = writeln!(
        svg,
        "<g class=\"milestone status-{status_class}{late_class}\">"
    );
    let tooltip = match late {
        Some(late) => format!("{status}, {late}"),
        None => status.clone(),
    };
    svg.row_label(axis.left, middle, &row.name, &tooltip);
    if row.target.is_none() && row.actual.is_none() {
        svg.text(
            axis.left + 6.0,
            middle + BASELINE_DROP,
            Anchor::Start,
            "no-data",
            "no date",
        );
    }
    // Drawn before the markers so they sit on top of it.
    draw_span(svg, axis, middle, row, as_of);
    draw_markers(svg, axis, middle, row, &status_class);
    draw_status(svg, axis, middle, status, late.as_deref());
    svg.push_str("</g>\n");
}

/// The line from a row's target to its done date, or to `as_of` while it
/// is late and open (red and dashed); nothing without a target.
fn draw_span(svg: &mut Svg, axis: &DateAxis, middle: f64, row: &TimelineRow, as_of: NaiveDate) {
    let span_end = match (row.target, row.actual) {
        (Some(_), Some(actual)) => Some(actual),
        (Some(_), None) if row.late => Some(as_of),
        _ => None,
    };
    if let (Some(target), Some(end)) = (row.target, span_end) {
        let (class, stroke) = if row.late {
            ("span late", LATE_SPAN)
        } else {
            ("span", " stroke-width=\"2\"")
        };
        svg.line(class, (axis.x(target), middle, axis.x(end), middle), stroke);
    }
}

/// A row's target diamond (red while late) and done circle (filled in its
/// status colour), each with its date as a tooltip.
fn draw_markers(
    svg: &mut Svg,
    axis: &DateAxis,
    middle: f64,
    row: &TimelineRow,
    status_class: &str,
) {
    if let Some(target) = row.target {
        let stroke = if row.late { LATE_FILL } else { "currentColor" };
        let _ = writeln!(
            svg,
            "<path class=\"target-marker\" d=\"M{} {}l6 6l-6 6l-6-6z\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"1.5\"><title>target {}</title></path>",
            Num(axis.x(target)),
            Num(middle - 6.0),
            target,
        );
    }
    if let Some(actual) = row.actual {
        let _ = writeln!(
            svg,
            "<circle class=\"actual-marker\" cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"{}\" stroke=\"currentColor\"><title>done {}</title></circle>",
            Num(axis.x(actual)),
            Num(middle),
            fill_for(status_class),
            actual,
        );
    }
}

/// A row's status in the right-hand column, with "late 3d" in bold after
/// it when late.
fn draw_status(svg: &mut Svg, axis: &DateAxis, middle: f64, status: &str, late: Option<&str>) {
    let _ = write!(
        svg,
        "<text class=\"status\" x=\"{}\" y=\"{}\" text-anchor=\"start\" fill=\"currentColor\">{}",
        Num(axis.right + 10.0),
        Num(middle + BASELINE_DROP),
        Escaped(status)
    );
    if let Some(late) = late {
        let _ = write!(
            svg,
            " <tspan class=\"late-label\" font-weight=\"bold\">{}</tspan>",
            Escaped(late)
        );
    }
    svg.push_str("</text>\n");
}

/// The legend names the shapes, so no marker depends on colour to be read.
fn legend(svg: &mut Svg, legend_y: f64) {
    let middle = legend_y - 4.0;
    let _ = writeln!(
        svg,
        "<path class=\"target-marker\" d=\"M{} {}l6 6l-6 6l-6-6z\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\"/>",
        Num(MARGIN + 6.0),
        Num(middle - 6.0)
    );
    svg.text(MARGIN + 16.0, legend_y, Anchor::Start, "legend", "target");
    let _ = writeln!(
        svg,
        "<circle class=\"actual-marker\" cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"{}\" stroke=\"currentColor\"/>",
        Num(MARGIN + 76.0),
        Num(middle),
        fill_for("complete")
    );
    svg.text(MARGIN + 86.0, legend_y, Anchor::Start, "legend", "done");
    svg.line(
        "span late",
        (MARGIN + 136.0, middle, MARGIN + 160.0, middle),
        LATE_SPAN,
    );
    svg.text(MARGIN + 166.0, legend_y, Anchor::Start, "legend", "late");
}

/// The timeline's text alternative: every milestone with its dates and state.
fn timeline_desc(as_of: NaiveDate, rows: &[TimelineRow]) -> String {
    if rows.is_empty() {
        return format!("No data: no milestones as of {}.", as_of);
    }
    let late = rows.iter().filter(|row| row.late).count();
    let mut desc = String::with_capacity(48 + rows.len() * 96);
    let _ = write!(
        desc,
        "As of {}: {} milestone{}, {late} late",
        as_of,
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    );
    // Each row: its name, then its facts after a colon, commas between.
    for row in rows {
        let _ = write!(desc, ". {}: ", row.name);
        match (row.target, row.actual) {
            (None, None) => desc.push_str("no date, "),
            (target, actual) => {
                if let Some(target) = target {
                    let _ = write!(desc, "target {}, ", target);
                }
                if let Some(actual) = actual {
                    let _ = write!(desc, "done {}, ", actual);
                }
            }
        }
        desc.push_str(&status_words(&row.status));
        if row.late {
            match row.days_late {
                Some(1) => desc.push_str(", late 1 day"),
                Some(days) => {
                    let _ = write!(desc, ", late {days} days");
                }
                None => desc.push_str(", late"),
            }
        }
    }
    sentence(desc)
}

/// "late 3d", or "late" when the days are unknown.
fn late_label(days_late: Option<i64>) -> String {
    match days_late {
        Some(days) => format!("late {days}d"),
        None => "late".to_string(),
    }
}

/// Tick dates and labels between two dates, at most about `max_ticks` of
/// them: every few days for short spans, Mondays for spans of weeks, the
/// first of the month beyond that.
fn date_ticks(start: NaiveDate, end: NaiveDate, max_ticks: i64) -> Vec<(NaiveDate, String)> {
    let max_ticks = max_ticks.max(1);
    let days = (end - start).num_days().max(1);
    let step_days = (days + max_ticks - 1) / max_ticks;
    let mut ticks = Vec::new();
    if step_days < 7 {
        let mut date = start;
        while date <= end {
            ticks.push((date, day_label(date)));
            date += Duration::days(step_days);
        }
    } else if step_days <= 14 {
        let step_weeks = (step_days + 6) / 7;
        let to_monday = (7 - i64::from(start.weekday().num_days_from_monday())) % 7;
        let mut date = start + Duration::days(to_monday);
        while date <= end {
            ticks.push((date, day_label(date)));
            date += Duration::weeks(step_weeks);
        }
    } else {
        let first_month = month_index(start) + i32::from(start.day() != 1);
        let months = month_index(end) - first_month + 1;
        let step = ((months + max_ticks as i32 - 1) / max_ticks as i32).max(1);
        let mut index = first_month;
        while let Some(date) = month_start(index).filter(|date| *date <= end) {
            // The year shows on the first tick and on every January, so a
            // reader always knows which year a month belongs to.
            let label = if ticks.is_empty() || date.month() == 1 {
                format!("{} {}", MONTHS[date.month0() as usize], date.year())
            } else {
                MONTHS[date.month0() as usize].to_string()
            };
            ticks.push((date, label));
            index += step;
        }
    }
    ticks
}

/// English month abbreviations, fixed so labels never depend on a locale.
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// "Jan 19".
fn day_label(date: NaiveDate) -> String {
    format!("{} {}", MONTHS[date.month0() as usize], date.day())
}

/// Months since year 0, so month arithmetic is integer arithmetic.
fn month_index(date: NaiveDate) -> i32 {
    date.year() * 12 + date.month0() as i32
}

/// The first day of the month with the given [`month_index`].
fn month_start(index: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(index.div_euclid(12), index.rem_euclid(12) as u32 + 1, 1)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_well_formed, attribute_after, day, milestones, row};
    use super::*;

    /// The x of every target diamond, in row order.
    fn diamond_xs(svg: &str) -> Vec<f64> {
        svg.match_indices("<g class=\"milestone")
            .filter_map(|(index, _)| {
                let group = &svg[index..index + svg[index..].find("</g>").unwrap()];
                group.find("class=\"target-marker\" d=\"M").map(|at| {
                    let numbers = &group[at + "class=\"target-marker\" d=\"M".len()..];
                    numbers[..numbers.find(' ').unwrap()].parse().unwrap()
                })
            })
            .collect()
    }

    #[test]
    fn timeline_puts_today_between_the_right_dates() {
        let svg = milestone_timeline(
            "acme",
            "Acme",
            Some(day("2026-01-15")),
            day("2026-01-25"),
            &milestones(),
        );
        let xs = diamond_xs(&svg);
        assert_eq!(xs.len(), 3, "the undated milestone has no diamond");
        let today = attribute_after(&svg, "<line class=\"today\"", "x1");
        // Targets Jan 17 and Jan 22 are before Jan 25, Jan 29 after it.
        assert!(
            xs[0] < xs[1] && xs[1] < today && today < xs[2],
            "{xs:?} {today}"
        );
        // One day is the same width everywhere on the axis.
        assert!(((xs[1] - xs[0]) / 5.0 - (xs[2] - xs[1]) / 7.0).abs() < 0.1);
        assert!(svg.contains(">today 2026-01-25</text>"));
        assert!(svg.contains("stroke-dasharray=\"3 3\""));
    }

    #[test]
    fn timeline_marks_late_rows_in_text_class_and_colour() {
        let svg = milestone_timeline(
            "acme",
            "Acme",
            Some(day("2026-01-15")),
            day("2026-01-25"),
            &milestones(),
        );
        assert_eq!(
            svg.matches("<g class=\"milestone status-in_progress late\">")
                .count(),
            1
        );
        assert!(
            svg.contains(
                "in progress <tspan class=\"late-label\" font-weight=\"bold\">late 3d</tspan>"
            ),
            "{svg}"
        );
        let late_row = &svg[svg.find("late\">").unwrap()..];
        let late_row = &late_row[..late_row.find("</g>").unwrap()];
        // The late line runs from the target to today, in the late colour.
        assert!(late_row.contains("class=\"span late\"") && late_row.contains(LATE_FILL));
        let today = attribute_after(&svg, "<line class=\"today\"", "x1");
        assert_eq!(
            attribute_after(late_row, "class=\"span late\"", "x2"),
            today
        );
        // Other rows say nothing of lateness.
        assert_eq!(svg.matches(">late 3d<").count(), 1);
        assert_eq!(svg.matches("late-label").count(), 1);
        assert!(
            svg.contains("Integration configured: target 2026-01-22, in progress, late 3 days.")
        );
        // A row's tooltip names the milestone once, then its state.
        assert!(
            late_row.contains("<title>Integration configured: in progress, late 3d</title>"),
            "{late_row}"
        );
    }

    #[test]
    fn timeline_shows_names_statuses_markers_and_missing_dates() {
        let svg = milestone_timeline(
            "acme",
            "Acme",
            Some(day("2026-01-15")),
            day("2026-01-25"),
            &milestones(),
        );
        for name in [
            "Kickoff completed",
            "Integration configured",
            "Training delivered",
            "Executive review",
        ] {
            assert!(svg.contains(&format!(">{name}</text>")), "{name}");
        }
        assert!(svg.contains(">complete</text>") && svg.contains(">pending</text>"));
        assert_eq!(svg.matches(">no date</text>").count(), 1);
        // Kickoff: a filled circle for the actual date, joined to its target.
        assert!(svg.contains("<title>done 2026-01-16</title>"));
        assert_eq!(
            svg.matches("<circle class=\"actual-marker\"").count(),
            1 + 1,
            "one done and the legend"
        );
        assert!(svg.contains("<line class=\"span\""));
        assert!(
            svg.contains(
                "<desc id=\"acme-desc\">As of 2026-01-25: 4 milestones, 1 late. \
             Kickoff completed: target 2026-01-17, done 2026-01-16, complete."
            ),
            "{svg}"
        );
        assert!(svg.contains("Executive review: no date, pending.</desc>"));
    }

    #[test]
    fn the_chart_says_where_today_is_across_its_width() {
        let chart = milestone_timeline_chart(
            "Acme",
            Some(day("2026-01-15")),
            day("2026-01-25"),
            &milestones(),
        );
        let svg = chart.svg("acme");
        let today = attribute_after(&svg, "<line class=\"today\"", "x1");
        let percent: f64 = chart.today_percent().unwrap().parse().unwrap();
        assert!(
            (percent / 100.0 * WIDTH - today).abs() < 0.5,
            "{percent} {today}"
        );
        assert!(percent > 0.0 && percent < 100.0);
        let empty = milestone_timeline_chart("Empty", None, day("2026-01-25"), &[]);
        assert_eq!(empty.today_percent(), None, "no line, no anchor");
    }

    #[test]
    fn timeline_spans_today_even_when_every_date_is_ahead() {
        let rows = [row("Kickoff", Some("2026-03-02"), None, "pending")];
        let svg = milestone_timeline("t", "T", None, day("2026-01-25"), &rows);
        assert_well_formed(&svg);
        let today = attribute_after(&svg, "<line class=\"today\"", "x1");
        assert!(today < diamond_xs(&svg)[0]);
        let only_undated = milestone_timeline(
            "t",
            "T",
            None,
            day("2026-01-25"),
            &[row("Go-live", None, None, "pending")],
        );
        assert_well_formed(&only_undated);
        assert!(only_undated.contains(">no date</text>"));
    }

    #[test]
    fn date_ticks_fit_the_span() {
        let days = date_ticks(day("2026-01-20"), day("2026-01-26"), 5);
        assert!(days.len() >= 3 && days.len() <= 7, "{days:?}");
        assert_eq!(days[0], (day("2026-01-20"), "Jan 20".to_string()));

        let weeks = date_ticks(day("2026-01-13"), day("2026-02-20"), 5);
        assert!(
            weeks
                .iter()
                .all(|(date, _)| date.weekday() == chrono::Weekday::Mon),
            "{weeks:?}"
        );
        assert_eq!(weeks[0], (day("2026-01-19"), "Jan 19".to_string()));

        let months = date_ticks(day("2025-11-10"), day("2026-04-20"), 6);
        let labels: Vec<&str> = months.iter().map(|(_, label)| label.as_str()).collect();
        assert_eq!(labels, ["Dec 2025", "Jan 2026", "Feb", "Mar", "Apr"]);

        let years = date_ticks(day("2024-01-01"), day("2026-12-31"), 6);
        assert!(years.len() <= 7, "{years:?}");
        assert_eq!(years[0].1, "Jan 2024");
    }
}

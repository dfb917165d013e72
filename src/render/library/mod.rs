//! Pages about the library as a whole, each in a file of its own: the
//! review page and feed ([`reviews`]), the print page ([`print`]) and the
//! tag pages ([`tags`]).

use super::pages::PageJob;
use crate::site::Site;

pub mod print;
pub mod reviews;
pub mod tags;

/// The page jobs of the library-wide pages.
pub fn jobs(site: &Site) -> Vec<PageJob> {
    let mut jobs = vec![reviews::reviews_page(site), print::print_page(site)];
    jobs.extend(tags::tag_pages(site));
    jobs
}

/// The files of the library-wide pages that are not pages: output path →
/// text.
pub fn files(site: &Site) -> Vec<(&'static str, String)> {
    vec![(reviews::FEED_PATH, reviews::reviews_ics(site))]
}

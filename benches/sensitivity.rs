//! (d) `tamga sensitivity` over COINr's ASEM example (`examples/asem/sensitivity.tamga`: 51 countries,
//! 49 indicators, 11 aggregates; 5 uncertain factors: noisy weights, aggregation, normalisation,
//! imputation, one indicator left out), as `tamga::sensitivity::analyse` runs it: the prepared
//! combinations, then every sample's areas, index and ranks, then the statistics.
//!
//! ```sh
//! cargo bench --bench sensitivity
//! ```
//!
//! Times are wall-clock (criterion's default): the samples run on 1 or 2 threads.
//!
//! - `sensitivity/ua_10k_1_thread`, `ua_10k_2_threads`: an uncertainty analysis of 10,000
//!   samples (`--uncertainty-only --samples 10000`): 10,000 evaluations;
//! - `sensitivity/sa_1k_2_threads`: a sensitivity analysis with N = 1,000 (7,000 evaluations) and
//!   100 bootstrap resamples.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use tamga::sensitivity::{analyse, Mode, Options};

fn main() {
    let meth = match tamga::check::check(Path::new("examples/asem/sensitivity.tamga")).methodology() {
        Ok((m, _)) => m,
        Err(_) => panic!("examples/asem/sensitivity.tamga does not check"),
    };
    let mut sources = meth.sources.clone();
    let (data, _) = tamga::data::load(&meth.model, &[Path::new("examples/asem/asem.csv").into()], &mut sources);
    let mut c = criterion::Criterion::default().without_plots().configure_from_args();
    let mut g = c.benchmark_group("sensitivity");
    g.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(8));
    for (id, threads) in [("ua_10k_1_thread", 1), ("ua_10k_2_threads", 2)] {
        let opts = Options { samples: 10_000, mode: Mode::Uncertainty, threads, ..Options::default() };
        g.bench_function(id, |b| b.iter(|| black_box(analyse(&meth.model, &data, black_box(&opts)).unwrap())));
    }
    let opts = Options { samples: 1_000, threads: 2, ..Options::default() };
    g.bench_function("sa_1k_2_threads", |b| {
        b.iter(|| black_box(analyse(&meth.model, &data, black_box(&opts)).unwrap()))
    });
    g.finish();
    c.final_summary();
}

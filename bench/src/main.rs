//! The one-run benchmark report: `bash bench/run.sh` (see `bench/README.md`).
//!
//! `reviewguard-bench text` times, over the same corpus in the same run: the engine end to end,
//! the normaliser, the matching stage on pre-normalised text, and `memchr` for one byte; then it
//! writes the folded corpus and the pack's patterns to `bench/out/` and runs
//! `bench/baselines.py` (Hyperscan and Python `re` over the same folded text) and prints one
//! table with the ratios. `reviewguard-bench graph` times the relation index on a synthetic
//! marketplace of 10 M relations. `reviewguard-bench` (or `all`) runs both, the graph in a
//! child process so that its peak memory is its own.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs,
    reason = "a measuring tool: failing loudly on a broken invariant is what it should do"
)]

use reviewguard::affiliation::{RelationIndex, RelationIndexBuilder};
use reviewguard::case::RelationKind;
use reviewguard::text::CompiledPack;
use reviewguard::Engine;
use reviewguard_bench::{
    corpus, cpu_seconds, marketplace, memory, messages_1kb, percentile, Rng, Source, Text,
};
use std::hint::black_box;
use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

struct Args {
    what: String,
    texts: usize,
    edges: usize,
    reps: usize,
    stage: String,
    out: PathBuf,
    python: Option<PathBuf>,
}

fn args() -> Args {
    let mut a = Args {
        what: "all".into(),
        texts: 4000,
        edges: 10_000_000,
        reps: 5,
        stage: "e2e".into(),
        out: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/out")),
        python: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(x) = it.next() {
        match x.as_str() {
            "--texts" => a.texts = it.next().unwrap().parse().unwrap(),
            "--edges" => a.edges = it.next().unwrap().parse().unwrap(),
            "--reps" => a.reps = it.next().unwrap().parse().unwrap(),
            "--stage" => a.stage = it.next().unwrap(),
            "--out" => a.out = it.next().unwrap().into(),
            "--python" => a.python = Some(it.next().unwrap().into()),
            "text" | "graph" | "all" | "profile" => a.what = x,
            other => panic!("unknown argument `{other}`; see bench/README.md"),
        }
    }
    a
}

fn main() {
    let a = args();
    machine();
    if a.what == "profile" {
        // A fixed amount of work for `valgrind --tool=callgrind` (instruction counts are what
        // before/after comparisons of optimisations use on a shared machine).
        // `--stage normalise` or `--stage match` times that stage alone.
        let engine = Engine::from_pack(Engine::default_pack_source()).unwrap();
        let pack = CompiledPack::from_source(&Engine::default_pack_source()).unwrap();
        let texts = corpus(a.texts, 0x5EED, 20);
        // `--reps` repeats the stage, so that a sampling profiler (`perf`) sees it, not the
        // engine build.
        let folded: Vec<String> = if a.stage == "match" {
            texts.iter().map(|t| pack.normalize(&t.text).text).collect()
        } else {
            Vec::new()
        };
        let mut n = 0usize;
        for _ in 0..a.reps.max(1) {
            n += match a.stage.as_str() {
                "normalise" => texts
                    .iter()
                    .map(|t| pack.normalize(&t.text).text.len())
                    .sum::<usize>(),
                "match" => folded.iter().map(|t| pack.count_hits(t)).sum(),
                _ => texts.iter().map(|t| scan(&engine, t)).sum(),
            };
        }
        println!("{n}");
        return;
    }
    if a.what == "text" || a.what == "all" {
        text(&a);
    }
    if a.what == "graph" {
        graph(a.edges);
    } else if a.what == "all" {
        // A child process, so that VmHWM is the graph's own peak.
        let status = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["graph", "--edges", &a.edges.to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }
}

fn machine() {
    let cpu = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpu
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .unwrap_or("?")
        .trim()
        .to_string();
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "# machine: {} x {}, load average {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        model,
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
}

/// The best (smallest) wall time of `reps` runs of `f`: the least disturbed by other load.
fn best<R>(reps: usize, mut f: impl FnMut() -> R) -> Duration {
    (0..reps.max(1))
        .map(|_| {
            let t = Instant::now();
            black_box(f());
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn scan(engine: &Engine, t: &Text) -> usize {
    match t.source {
        Source::Message(c) => engine.scan(&t.text, c, None).unwrap().len(),
        Source::Review => engine.scan_review(&t.text).unwrap().len(),
    }
}

/// One row of the table.
struct Row {
    name: String,
    bytes: usize,
    texts: usize,
    time: Duration,
    /// p50, p99, p99.9 per 1 KB text, in ns (when measured).
    lat: Option<[u64; 3]>,
    note: String,
}

impl Row {
    fn mbs(&self) -> f64 {
        self.bytes as f64 / self.time.as_secs_f64() / 1e6
    }
    fn tps(&self) -> f64 {
        self.texts as f64 / self.time.as_secs_f64()
    }
}

/// Three significant digits, for MB/s from 0.001 to 10,000.
fn sig(x: f64) -> String {
    if x >= 100.0 {
        format!("{x:.0}")
    } else if x >= 10.0 {
        format!("{x:.1}")
    } else if x >= 1.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.4}")
    }
}

fn latencies(mut f: impl FnMut(usize) -> usize, n: usize, rounds: usize) -> [u64; 3] {
    let mut lat = Vec::with_capacity(n * rounds);
    for _ in 0..rounds {
        for i in 0..n {
            let t = Instant::now();
            black_box(f(i));
            lat.push(t.elapsed().as_nanos() as u64);
        }
    }
    lat.sort_unstable();
    [
        percentile(&lat, 0.5),
        percentile(&lat, 0.99),
        percentile(&lat, 0.999),
    ]
}

fn text(a: &Args) {
    // Build: memory first (the first engine in this process), then the time of fresh builds.
    let (_, rss0) = memory();
    let engine = Engine::from_pack(Engine::default_pack_source()).unwrap();
    let (_, rss1) = memory();
    let stats = engine.stats();
    let c = cpu_seconds();
    let builds: Vec<Duration> = (0..a.reps.clamp(3, 5))
        .map(|_| {
            let t = Instant::now();
            black_box(Engine::from_pack(Engine::default_pack_source()).unwrap());
            t.elapsed()
        })
        .collect();
    let build_cpu = (cpu_seconds() - c) / builds.len() as f64;
    let mut builds_sorted = builds.clone();
    builds_sorted.sort();
    let build = builds_sorted[builds_sorted.len() / 2];
    let pack = CompiledPack::from_source(&Engine::default_pack_source()).unwrap();
    println!(
        "# engine: build {:.1} ms wall (median of {}; {:.0} ms CPU on average), resident +{:.1} MB, {} literal terms, {} regex terms, automata {:.1} MB",
        build.as_secs_f64() * 1e3,
        builds.len(),
        build_cpu * 1e3,
        rss1.saturating_sub(rss0) as f64 / 1e6,
        stats.literal_terms,
        stats.regex_terms,
        stats.automaton_bytes as f64 / 1e6
    );

    let texts = corpus(a.texts, 0x5EED, 20);
    let bytes: usize = texts.iter().map(|t| t.text.len()).sum();
    let folded: Vec<String> = texts.iter().map(|t| pack.normalize(&t.text).text).collect();
    let fbytes: usize = folded.iter().map(String::len).sum();
    let latin: Vec<&Text> = texts.iter().filter(|t| t.lang != 5).collect();
    let ja: Vec<&Text> = texts.iter().filter(|t| t.lang == 5).collect();
    let lbytes: usize = latin.iter().map(|t| t.text.len()).sum();
    let jbytes: usize = ja.iter().map(|t| t.text.len()).sum();
    println!(
        "# corpus: {} texts, {:.1} MB ({:.1} MB folded; Latin {:.1} MB, Japanese {:.1} MB), {} with a violation",
        texts.len(),
        bytes as f64 / 1e6,
        fbytes as f64 / 1e6,
        lbytes as f64 / 1e6,
        jbytes as f64 / 1e6,
        texts.iter().filter(|t| t.hot).count()
    );
    let one_kb = messages_1kb(3000, 0x1CB);
    let one_kb_folded: Vec<String> = one_kb
        .iter()
        .map(|t| pack.normalize(&t.text).text)
        .collect();

    let reps = a.reps;
    let mut rows = Vec::new();
    let lat_e2e = latencies(|i| scan(&engine, &one_kb[i]), one_kb.len(), 3);
    rows.push(Row {
        name: "engine end to end".into(),
        bytes,
        texts: texts.len(),
        time: best(reps, || {
            texts.iter().map(|t| scan(&engine, t)).sum::<usize>()
        }),
        lat: Some(lat_e2e),
        note: "normalise + match + rules, original bytes".into(),
    });
    rows.push(Row {
        name: "  Latin-script texts".into(),
        bytes: lbytes,
        texts: latin.len(),
        time: best(reps, || {
            latin.iter().map(|t| scan(&engine, t)).sum::<usize>()
        }),
        lat: None,
        note: "en de fr es it".into(),
    });
    rows.push(Row {
        name: "  Japanese texts".into(),
        bytes: jbytes,
        texts: ja.len(),
        time: best(reps, || ja.iter().map(|t| scan(&engine, t)).sum::<usize>()),
        lat: None,
        note: "ja".into(),
    });
    let lat_norm = latencies(
        |i| pack.normalize(&one_kb[i].text).text.len(),
        one_kb.len(),
        3,
    );
    rows.push(Row {
        name: "normalise only".into(),
        bytes,
        texts: texts.len(),
        time: best(reps, || {
            texts
                .iter()
                .map(|t| pack.normalize(&t.text).text.len())
                .sum::<usize>()
        }),
        lat: Some(lat_norm),
        note: "original bytes".into(),
    });
    let lat_match = latencies(|i| pack.count_hits(&one_kb_folded[i]), one_kb.len(), 3);
    let matching = Row {
        name: "matching stage".into(),
        bytes: fbytes,
        texts: texts.len(),
        time: best(reps, || {
            folded.iter().map(|t| pack.count_hits(t)).sum::<usize>()
        }),
        lat: Some(lat_match),
        note: "pre-normalised text, folded bytes".into(),
    };
    let lat_memchr = latencies(
        |i| memchr::memchr_iter(b'~', one_kb[i].text.as_bytes()).count(),
        one_kb.len(),
        3,
    );
    let memchr_row = Row {
        name: "memchr one byte".into(),
        bytes,
        texts: texts.len(),
        time: best(reps, || {
            texts
                .iter()
                .map(|t| memchr::memchr_iter(b'~', t.text.as_bytes()).count())
                .sum::<usize>()
        }),
        lat: Some(lat_memchr),
        note: "the ceiling, original bytes".into(),
    };

    // The same phrases over the same folded text, in Hyperscan and Python `re`.
    std::fs::create_dir_all(&a.out).unwrap();
    let mut f = std::io::BufWriter::new(std::fs::File::create(a.out.join("folded.jsonl")).unwrap());
    for t in &folded {
        writeln!(f, "{}", serde_json::to_string(t).unwrap()).unwrap();
    }
    drop(f);
    let mut f =
        std::io::BufWriter::new(std::fs::File::create(a.out.join("folded_1kb.jsonl")).unwrap());
    for t in &one_kb_folded {
        writeln!(f, "{}", serde_json::to_string(t).unwrap()).unwrap();
    }
    drop(f);
    let patterns: Vec<serde_json::Value> = pack
        .export_patterns()
        .into_iter()
        .map(|(p, regex)| serde_json::json!({"pattern": p, "regex": regex}))
        .collect();
    std::fs::write(
        a.out.join("patterns.json"),
        serde_json::to_string(&patterns).unwrap(),
    )
    .unwrap();
    let py = a
        .python
        .clone()
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.venv/bin/python")));
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/baselines.py");
    let baselines: serde_json::Value = match std::process::Command::new(&py)
        .arg(script)
        .arg(&a.out)
        .stderr(std::process::Stdio::inherit())
        .output()
    {
        Ok(o) if o.status.success() => serde_json::from_slice(&o.stdout).unwrap(),
        Ok(o) => {
            eprintln!("baselines.py failed: {}", o.status);
            serde_json::Value::Null
        }
        Err(e) => {
            eprintln!("no Python at {} ({e}); run bench/run.sh", py.display());
            serde_json::Value::Null
        }
    };
    let base = |k: &str| -> Option<Row> {
        let v = baselines.get(k)?;
        Some(Row {
            name: v["name"].as_str()?.to_string(),
            bytes: v["bytes"].as_u64()? as usize,
            texts: v["texts"].as_u64()? as usize,
            time: Duration::from_secs_f64(v["seconds"].as_f64()?),
            lat: Some([
                v["p50_ns"].as_u64()?,
                v["p99_ns"].as_u64()?,
                v["p999_ns"].as_u64()?,
            ]),
            note: v["note"].as_str().unwrap_or_default().to_string(),
        })
    };
    let hs = base("hyperscan");
    let hs_cb = base("hyperscan_cb");
    let re = base("re");
    rows.push(matching);
    rows.extend(hs);
    rows.extend(hs_cb);
    rows.extend(re);
    rows.push(memchr_row);

    println!();
    println!(
        "| stage | MB/s | texts/s | p50 µs/KB | p99 µs/KB | p99.9 µs/KB | note |\n|---|---:|---:|---:|---:|---:|---|"
    );
    for r in &rows {
        let lat = r.lat.map_or(["-".into(), "-".into(), "-".into()], |l| {
            l.map(|n| format!("{:.2}", n as f64 / 1e3))
        });
        println!(
            "| {} | {} | {:.0} | {} | {} | {} | {} |",
            r.name,
            sig(r.mbs()),
            r.tps(),
            lat[0],
            lat[1],
            lat[2],
            r.note
        );
    }
    let find = |n: &str| rows.iter().find(|r| r.name.to_lowercase().starts_with(n));
    println!();
    let e2e = find("engine").unwrap().mbs();
    let m = find("matching").unwrap().mbs();
    let ceiling = find("memchr").unwrap().mbs();
    println!("| ratio | value |\n|---|---:|");
    if let Some(h) = find("hyperscan, no callback") {
        println!("| engine end to end / Hyperscan | {:.3} |", e2e / h.mbs());
        println!("| matching stage / Hyperscan | {:.3} |", m / h.mbs());
    }
    if let Some(r) = find("python re") {
        println!("| engine end to end / Python re | {:.0} |", e2e / r.mbs());
        println!("| matching stage / Python re | {:.0} |", m / r.mbs());
    }
    println!("| engine end to end / memchr | {:.4} |", e2e / ceiling);
    println!("| matching stage / memchr | {:.4} |", m / ceiling);
}

fn graph(edges: usize) {
    // The generator alone first (formatting 20 M ids costs time too), to subtract it.
    let (t, c) = (Instant::now(), cpu_seconds());
    let mut bytes = 0usize;
    marketplace(edges, 20_000, 0x6EA9, |_, _, from, to| {
        bytes += from.len() + to.len();
    });
    let (gen_wall, gen_cpu) = (t.elapsed(), cpu_seconds() - c);
    black_box(bytes);
    let (_, rss0) = memory();
    let (t, c) = (Instant::now(), cpu_seconds());
    let mut b = RelationIndexBuilder::default();
    let sellers = 20_000;
    // Every 50th owned or controlled account, with the seller whose person holds it.
    let mut accounts: Vec<(String, usize)> = Vec::new();
    let mut every = 0usize;
    let n = marketplace(edges, sellers, 0x6EA9, |seller, kind, from, to| {
        if matches!(kind, RelationKind::Owns | RelationKind::Controls) {
            every += 1;
            if every % 50 == 0 {
                accounts.push((to.to_string(), seller));
            }
        }
        b.add(kind, from, to);
    });
    let (generated, gen_intern_cpu) = (t.elapsed(), cpu_seconds() - c);
    let (t, c) = (Instant::now(), cpu_seconds());
    let index: RelationIndex = b.build();
    let (build, build_cpu) = (t.elapsed(), cpu_seconds() - c);
    let (hwm, rss1) = memory();
    let intern = generated.saturating_sub(gen_wall);
    let intern_cpu = (gen_intern_cpu - gen_cpu).max(0.0);
    println!(
        "# relation graph: {} relations, {} parties; generator alone {:.2} s wall ({:.2} s CPU); interning {:.2} s wall ({:.2} s CPU), index build {:.2} s wall ({:.2} s CPU); index total {:.2} s wall, {:.2} s CPU; peak RSS {:.0} MB, resident {:.0} MB (+{:.0} MB over the {:.0} MB before)",
        n,
        index.parties(),
        gen_wall.as_secs_f64(),
        gen_cpu,
        intern.as_secs_f64(),
        intern_cpu,
        build.as_secs_f64(),
        build_cpu,
        (intern + build).as_secs_f64(),
        intern_cpu + build_cpu,
        hwm as f64 / 1e6,
        rss1 as f64 / 1e6,
        rss1.saturating_sub(rss0) as f64 / 1e6,
        rss0 as f64 / 1e6
    );
    // Queries: half about an account of the seller's own people, half about a seller drawn
    // with the same power law as seller sizes (mostly not affiliated).
    let mut rng = Rng::new(99);
    let queries: Vec<(String, String)> = (0..200_000)
        .map(|i| {
            let (acc, owner) = &accounts[rng.below(accounts.len())];
            let seller = if i % 2 == 0 {
                *owner
            } else {
                ((sellers as f64).powf(rng.unit()) as usize).saturating_sub(1)
            };
            (format!("S{seller}"), acc.clone())
        })
        .collect();
    let mut hits = 0usize;
    let mut lat = Vec::with_capacity(queries.len());
    for (s, acc) in &queries {
        let t = Instant::now();
        let r = black_box(index.affiliation(s, acc));
        lat.push(t.elapsed().as_nanos() as u64);
        hits += usize::from(r.is_some());
    }
    lat.sort_unstable();
    println!(
        "# affiliation query ({} queries, {} affiliated): p50 {:.2} µs, p99 {:.2} µs, p99.9 {:.2} µs, max {:.1} µs",
        queries.len(),
        hits,
        percentile(&lat, 0.5) as f64 / 1e3,
        percentile(&lat, 0.99) as f64 / 1e3,
        percentile(&lat, 0.999) as f64 / 1e3,
        lat.last().copied().unwrap_or(0) as f64 / 1e3
    );
}

//! `reviewguard`: judge cases (`check`), single texts (`scan`) and policy packs (`pack check`).
//!
//! Exit codes: 0 no violation, 1 violations found, 2 input errors or usage errors.

use clap::{Parser, Subcommand, ValueEnum};
use reviewguard::jsonl::{self, LineOutcome};
use reviewguard::{Channel, Engine, Error, Limits, PackSource};
use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "reviewguard",
    version,
    about = "Decides whether marketplace activity breaks customer-review policy"
)]
struct Cli {
    /// A policy pack directory (default: the bundled `amazon-reviews` pack).
    #[arg(long, global = true)]
    pack: Option<PathBuf>,
    /// Limits on inputs (defaults: see the README's Limits section).
    #[command(flatten)]
    limits: LimitArgs,
    #[command(subcommand)]
    command: Command,
}

/// Overrides of [`Limits`]; an absent flag keeps the default.
#[derive(clap::Args)]
struct LimitArgs {
    /// Bytes of one case's JSON.
    #[arg(long, global = true, value_name = "BYTES")]
    max_case_bytes: Option<usize>,
    /// Bytes of one text field, or of the text given to `scan`.
    #[arg(long, global = true, value_name = "BYTES")]
    max_text_bytes: Option<usize>,
    /// Items in one list of a case (parties, relations, reviews, ...).
    #[arg(long, global = true, value_name = "N")]
    max_list_len: Option<usize>,
    /// Levels of JSON nesting.
    #[arg(long, global = true, value_name = "N")]
    max_json_depth: Option<usize>,
}

impl LimitArgs {
    /// The limits, or `None` when every one is the default.
    fn limits(&self) -> Option<Limits> {
        let d = Limits::default();
        let l = Limits {
            max_case_bytes: self.max_case_bytes.unwrap_or(d.max_case_bytes),
            max_text_bytes: self.max_text_bytes.unwrap_or(d.max_text_bytes),
            max_list_len: self.max_list_len.unwrap_or(d.max_list_len),
            max_json_depth: self.max_json_depth.unwrap_or(d.max_json_depth),
            ..d
        };
        (l != d).then_some(l)
    }
}

#[derive(Subcommand)]
enum Command {
    /// Judge cases read as JSON Lines (a JSON array is also accepted); one decision per line.
    Check {
        /// Input file, or `-` for standard input.
        #[arg(default_value = "-")]
        file: String,
        /// Print a table of counts per kind to standard error.
        #[arg(long)]
        summary: bool,
    },
    /// Judge one seller-written text and print the findings.
    Scan {
        /// The channel the text is sent in.
        #[arg(long, value_enum, default_value_t = ChannelArg::BuyerSellerMessage)]
        channel: ChannelArg,
        /// Language hint (en, de, fr, es, it, ja); default: all languages.
        #[arg(long)]
        locale: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Judge the text as a customer's review (incentive disclosures) instead.
        #[arg(long)]
        review: bool,
        /// The text, or `-` (default) for standard input.
        #[arg(default_value = "-")]
        text: String,
    },
    /// Policy pack tools.
    Pack {
        #[command(subcommand)]
        command: PackCommand,
    },
}

#[derive(Subcommand)]
enum PackCommand {
    /// Validate a pack directory and run every rule's examples.
    Check {
        /// The pack directory.
        dir: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ChannelArg {
    #[value(name = "buyer_seller_message")]
    BuyerSellerMessage,
    #[value(name = "package_insert")]
    PackageInsert,
    #[value(name = "product_listing")]
    ProductListing,
    #[value(name = "review_request")]
    ReviewRequest,
    #[value(name = "external")]
    External,
}

impl From<ChannelArg> for Channel {
    fn from(c: ChannelArg) -> Channel {
        match c {
            ChannelArg::BuyerSellerMessage => Channel::BuyerSellerMessage,
            ChannelArg::PackageInsert => Channel::PackageInsert,
            ChannelArg::ProductListing => Channel::ProductListing,
            ChannelArg::ReviewRequest => Channel::ReviewRequest,
            ChannelArg::External => Channel::External,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("reviewguard: {msg}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    if let Command::Pack {
        command: PackCommand::Check { dir },
    } = &cli.command
    {
        return pack_check(dir);
    }
    let engine = match (&cli.pack, cli.limits.limits()) {
        (Some(dir), limits) => Engine::with_limits(read_pack(dir)?, limits.unwrap_or_default()),
        (None, Some(limits)) => Engine::with_limits(Engine::default_pack_source(), limits),
        (None, None) => Engine::new(),
    }
    .map_err(|e| format_diagnostic(&e))?;
    match cli.command {
        Command::Check { file, summary } => check(&engine, &file, summary),
        Command::Scan {
            channel,
            locale,
            format,
            review,
            text,
        } => scan(
            &engine,
            channel.into(),
            locale.as_deref(),
            format,
            review,
            &text,
        ),
        Command::Pack { .. } => Ok(ExitCode::from(2)),
    }
}

/// Reads every `*.toml` below `dir`, sorted by relative path.
fn read_pack(dir: &Path) -> Result<PackSource, String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) -> Result<(), String> {
        let entries =
            std::fs::read_dir(dir).map_err(|e| format!("cannot read `{}`: {e}", dir.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                walk(root, &path, out)?;
            } else if path.extension().is_some_and(|x| x == "toml") {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
                let rel = path
                    .strip_prefix(root)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, text));
            }
        }
        Ok(())
    }
    let mut files = Vec::new();
    walk(dir, dir, &mut files)?;
    if files.is_empty() {
        return Err(format!("no `*.toml` files in `{}`", dir.display()));
    }
    files.sort();
    Ok(PackSource { files })
}

fn format_diagnostic(e: &Error) -> String {
    match &e.location {
        Some(loc) => format!("error[{}]: {}\n  --> {}", e.code, e.message, loc),
        None => format!("error[{}]: {}", e.code, e.message),
    }
}

fn pack_check(dir: &Path) -> Result<ExitCode, String> {
    let source = read_pack(dir)?;
    let report = Engine::check_pack(&source);
    for e in &report.errors {
        println!("{}\n", format_diagnostic(e));
    }
    println!(
        "{}: {} files, {} rules, {} examples, {} errors",
        dir.display(),
        source.files.len(),
        report.rules,
        report.examples,
        report.errors.len()
    );
    Ok(if report.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn read_bytes(file: &str) -> Result<Vec<u8>, String> {
    if file == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        Ok(bytes)
    } else {
        std::fs::read(file).map_err(|e| format!("cannot read `{file}`: {e}"))
    }
}

fn check(engine: &Engine, file: &str, summary: bool) -> Result<ExitCode, String> {
    let items = jsonl::split_bytes(&read_bytes(file)?);
    let bar = (std::io::stderr().is_terminal() && items.len() >= 1000).then(|| {
        let b = indicatif::ProgressBar::new(items.len() as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} cases {per_sec} eta {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    });
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let (mut violations, mut errors) = (false, false);
    let mut counts: BTreeMap<(&'static str, &'static str), usize> = BTreeMap::new();
    let mut cases = 0usize;
    for (line, item) in &items {
        let (text, outcome) = match item {
            Ok(json) => jsonl::check_line(engine, *line, json),
            Err(e) => (
                jsonl::error_line(*line, "", e),
                LineOutcome::Failed(e.clone()),
            ),
        };
        match &outcome {
            LineOutcome::Decided(d) => {
                cases += 1;
                violations |= !d.violations.is_empty();
                for v in &d.violations {
                    *counts.entry((v.kind.code(), v.kind.slug())).or_default() += 1;
                }
            }
            LineOutcome::Failed(_) => errors = true,
        }
        if let Err(e) = writeln!(out, "{text}") {
            // A closed pipe (`| head`) ends the run quietly, as other Unix tools do.
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                return Ok(ExitCode::from(if errors {
                    2
                } else {
                    u8::from(violations)
                }));
            }
            return Err(format!("cannot write output: {e}"));
        }
        if let Some(b) = &bar {
            b.inc(1);
        }
    }
    out.flush()
        .map_err(|e| format!("cannot write output: {e}"))?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    if summary {
        let mut err = std::io::stderr().lock();
        let _ = writeln!(err, "{:<7} {:<26} {:>8}", "code", "kind", "count");
        for k in reviewguard::Kind::ALL {
            let n = counts.get(&(k.code(), k.slug())).copied().unwrap_or(0);
            let _ = writeln!(err, "{:<7} {:<26} {:>8}", k.code(), k.slug(), n);
        }
        let failed = items.len() - cases;
        let _ = writeln!(err, "{} cases judged, {} unreadable", cases, failed);
    }
    Ok(ExitCode::from(if errors {
        2
    } else if violations {
        1
    } else {
        0
    }))
}

fn scan(
    engine: &Engine,
    channel: Channel,
    locale: Option<&str>,
    format: Format,
    review: bool,
    text: &str,
) -> Result<ExitCode, String> {
    let text = if text == "-" {
        let mut s = String::new();
        for line in std::io::stdin().lock().lines() {
            let line = line.map_err(|e| format!("cannot read standard input: {e}"))?;
            if !s.is_empty() {
                s.push('\n');
            }
            s.push_str(&line);
        }
        s
    } else {
        text.to_string()
    };
    let findings = if review {
        engine.scan_review(&text)
    } else {
        engine.scan(&text, channel, locale)
    };
    let findings = findings.map_err(|e| format_diagnostic(&e))?;
    let mut out = std::io::stdout().lock();
    if format == Format::Json {
        let json = serde_json::to_string(&findings).map_err(|e| e.to_string())?;
        writeln!(out, "{json}").map_err(|e| e.to_string())?;
    } else if findings.is_empty() {
        writeln!(out, "no findings").map_err(|e| e.to_string())?;
    } else {
        for f in &findings {
            writeln!(
                out,
                "{} {} [{}]\n  \"{}\" (bytes {}..{})\n  why: {}",
                f.code, f.kind, f.rule, f.quote, f.start, f.end, f.why
            )
            .map_err(|e| e.to_string())?;
        }
    }
    Ok(ExitCode::from(if findings.is_empty() { 0 } else { 1 }))
}

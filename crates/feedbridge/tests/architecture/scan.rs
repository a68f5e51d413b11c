//! The scanner under the architecture test: a crate's source read as text, reduced to code (no
//! comments, no string contents), and the top-level modules and crates each file names.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One source file: its module path inside the crate and its text without comments.
pub struct Source {
    pub path: PathBuf,
    pub module: Vec<String>,
    pub code: String,
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/domain/push/mod.rs` is `domain::push`, `src/domain/push/check.rs` is
/// `domain::push::check`, `src/lib.rs` is the crate root.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

/// The text without comments and without the contents of string and character literals, so
/// only code is scanned.
pub fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let at = |i: usize| chars.get(i).copied().unwrap_or(' ');
    let mut code = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let (c, next) = (chars[i], at(i + 1));
        let skipped = if c == '/' && next == '/' {
            Some(
                (i..chars.len())
                    .find(|&j| chars[j] == '\n')
                    .unwrap_or(chars.len()),
            )
        } else if c == '/' && next == '*' {
            let end = (i + 2..chars.len()).find(|&j| chars[j] == '*' && at(j + 1) == '/');
            Some(end.map_or(chars.len(), |j| j + 2))
        } else if c == 'r' && !is_ident(at(i.wrapping_sub(1))) {
            raw_string_end(&chars, i + 1)
        } else if c == '"' {
            Some(string_end(&chars, i + 1))
        } else if c == '\'' && next == '\\' {
            let end = (i + 2..chars.len()).find(|&j| chars[j] == '\'');
            Some(end.map_or(chars.len(), |j| j + 1))
        } else if c == '\'' && at(i + 2) == '\'' {
            Some(i + 3)
        } else {
            None
        };
        match skipped {
            Some(end) => {
                code.push(' ');
                i = end;
            }
            None => {
                code.push(c);
                i += 1;
            }
        }
    }
    code
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Where a string whose text starts at `from` ends (just past its closing quote).
fn string_end(chars: &[char], from: usize) -> usize {
    let mut j = from;
    while j < chars.len() {
        match chars[j] {
            '\\' => j += 2,
            '"' => return j + 1,
            _ => j += 1,
        }
    }
    chars.len()
}

/// Where a raw string whose hashes start at `from` ends, if `from` starts one.
fn raw_string_end(chars: &[char], from: usize) -> Option<usize> {
    let hashes = chars[from..].iter().take_while(|&&c| c == '#').count();
    if chars.get(from + hashes) != Some(&'"') {
        return None;
    }
    let closing: Vec<char> = std::iter::once('"')
        .chain(std::iter::repeat_n('#', hashes))
        .collect();
    (from + hashes + 1..chars.len())
        .find(|&j| chars[j..].starts_with(&closing))
        .map(|j| j + closing.len())
        .or(Some(chars.len()))
}

fn identifier_at(text: &str) -> &str {
    let end = text.find(|c: char| !is_ident(c)).unwrap_or(text.len());
    &text[..end]
}

/// The first segment of every item `group` (the inside of `crate::{…}`) names.
fn group_heads(group: &str) -> Vec<String> {
    let mut heads = Vec::new();
    let mut depth = 0;
    let mut start = true;
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => start = true,
            c if start && depth == 0 && (c.is_ascii_alphabetic() || c == '_') => {
                heads.push(identifier_at(&group[i..]).to_owned());
                start = false;
            }
            _ => {}
        }
    }
    heads
}

/// The text between the `{` at the start of `text` and its matching `}`.
fn braced(text: &str) -> &str {
    let mut depth = 0;
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return &text[1..i];
                }
            }
            _ => {}
        }
    }
    &text[1..]
}

/// The top-level modules a source in `module` names, through `crate::` or `super::` paths.
pub fn named_modules(module: &[String], code: &str) -> BTreeSet<String> {
    let mut named = BTreeSet::new();
    let mut add = |rest: &str| {
        if rest.starts_with('{') {
            named.extend(group_heads(braced(rest)));
        } else {
            named.insert(identifier_at(rest).to_owned());
        }
    };
    for (at, _) in code.match_indices("crate::") {
        let before = code[..at].chars().next_back().unwrap_or(' ');
        if !(before.is_ascii_alphanumeric() || before == '_' || before == ':') {
            add(&code[at + "crate::".len()..]);
        }
    }
    for (at, _) in code.match_indices("super::") {
        let before = code[..at].chars().next_back().unwrap_or(' ');
        if before.is_ascii_alphanumeric() || before == '_' || before == ':' {
            continue;
        }
        let mut rest = &code[at..];
        let mut depth = module.len();
        while let Some(after) = rest.strip_prefix("super::") {
            depth = depth.saturating_sub(1);
            rest = after;
        }
        // Only a path that climbs to the crate root leaves the top-level module.
        if depth == 0 {
            add(rest);
        }
    }
    named.retain(|m| !m.is_empty() && m != "self");
    named
}

/// The crates of `crates` that `code` names as a path (`axum::…`) or in a `use`.
pub fn named_crates(code: &str, crates: &[&str]) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for name in crates {
        let pattern = format!("{name}::");
        for (at, _) in code.match_indices(&pattern) {
            let before = code[..at].chars().next_back().unwrap_or(' ');
            if !(before.is_ascii_alphanumeric() || before == '_' || before == ':') {
                found.insert((*name).to_owned());
            }
        }
    }
    found
}

pub fn read_sources() -> Vec<Source> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let src = manifest.join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files.sort();
    files
        .into_iter()
        .filter(|f| f.file_name().is_some_and(|n| n != "main.rs"))
        .map(|path| Source {
            module: module_of(&src, &path),
            code: code_only(&std::fs::read_to_string(&path).unwrap()),
            path: path.strip_prefix(manifest).unwrap().to_path_buf(),
        })
        .collect()
}

/// Every top-level module and the ones it names, with the file that names each.
pub fn edges(sources: &[Source]) -> BTreeMap<String, BTreeMap<String, PathBuf>> {
    let mut graph: BTreeMap<String, BTreeMap<String, PathBuf>> = BTreeMap::new();
    for source in sources {
        let Some(top) = source.module.first() else {
            continue;
        };
        let entry = graph.entry(top.clone()).or_default();
        for named in named_modules(&source.module, &source.code) {
            if &named != top {
                entry.entry(named).or_insert_with(|| source.path.clone());
            }
        }
    }
    graph
}

/// A cycle of `graph`, if it has one, as the modules along it.
pub fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|n| n == node) {
            let mut found = path[start..].to_vec();
            found.push(node.to_owned());
            return Some(found);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(found) = visit(next, graph, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

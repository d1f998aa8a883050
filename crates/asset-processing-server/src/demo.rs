//! The demo repository: a realistic DITA documentation set of about 2,000 assets, the same
//! bytes for the same seed. It has what real repositories have and a processor must cope
//! with: maps, topics, reused content (conref), keys, images, nested folders, names with
//! spaces and non-ASCII letters, a few references that do not resolve and one malformed topic.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

const PRODUCTS: &[&str] = &[
    "Aurora Router",
    "Bifröst Gateway",
    "Café Scheduler",
    "Delta Sync",
    "Élan Analytics",
    "Fjord Storage",
    "Gamma Notifications",
    "Håkon Identity",
];
const LANGUAGES: &[&str] = &["en", "de", "ja"];
const TOPICS_PER_SET: usize = 60;
const IMAGES_PER_SET: usize = 20;
const SUBJECTS: &[&str] = &[
    "Installing",
    "Configuring",
    "Upgrading",
    "Monitoring",
    "Securing",
    "Backing up",
    "Troubleshooting",
    "Scaling",
    "Migrating",
    "Integrating",
];
const OBJECTS: &[&str] = &[
    "the service",
    "user accounts",
    "the cache",
    "network ports",
    "audit logs",
    "certificates",
    "the scheduler",
    "storage volumes",
    "webhooks",
    "the dashboard",
];

/// What was written.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub assets: usize,
    pub folders: usize,
    pub bytes: u64,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} assets in {} folders, {} bytes",
            self.assets, self.folders, self.bytes
        )
    }
}

/// A small deterministic generator (SplitMix64): the demo must not depend on a crate's
/// choice of algorithm staying the same.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

struct Writer<'a> {
    root: &'a Path,
    summary: Summary,
}

impl Writer<'_> {
    fn file(&mut self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.root.join(rel);
        if let Some(parent) = path.parent() {
            if !parent.exists() {
                fs::create_dir_all(parent)?;
                self.summary.folders += 1;
            }
        }
        fs::write(&path, bytes)?;
        self.summary.assets += 1;
        self.summary.bytes += bytes.len() as u64;
        Ok(())
    }
}

/// Writes the demo repository into `root` (created if needed; existing files are replaced).
pub fn generate(root: &Path, seed: u64) -> io::Result<Summary> {
    fs::create_dir_all(root)?;
    let mut rng = Rng(seed);
    let mut w = Writer {
        root,
        summary: Summary::default(),
    };

    w.file(
        "README.txt",
        b"Demo repository of the asset processing console: a DITA documentation set.\n",
    )?;
    w.file("shared/glossary.xml", glossary().as_bytes())?;
    w.file("shared/keys.ditamap", keys_map().as_bytes())?;

    for (p, product) in PRODUCTS.iter().enumerate() {
        for lang in LANGUAGES {
            let set = format!("guides/{product}/{lang}");
            let mut map_refs = Vec::new();
            for t in 0..TOPICS_PER_SET {
                let name = topic_name(t);
                let rel = format!("{set}/topics/{name}");
                map_refs.push(format!("topics/{name}"));
                let broken = p == 1 && *lang == "en" && t % 20 == 7;
                let malformed = p == 2 && *lang == "de" && t == 13;
                let body = topic(&mut rng, product, t, broken, malformed);
                w.file(&rel, body.as_bytes())?;
            }
            for i in 0..IMAGES_PER_SET {
                let width = 16 + rng.below(48) as u32;
                let height = 16 + rng.below(48) as u32;
                w.file(
                    &format!("{set}/images/figure-{i:02}.png"),
                    &png(width, height, rng.next()),
                )?;
            }
            w.file(
                &format!("{set}/reuse/warnings.dita"),
                reuse_topic(product).as_bytes(),
            )?;
            w.file(
                &format!("{set}/reuse/product-names.dita"),
                names_topic(product).as_bytes(),
            )?;
            w.file(
                &format!("{set}/{}.ditamap", slug(product)),
                map(product, lang, &map_refs).as_bytes(),
            )?;
        }
    }
    // Folders a person would exclude.
    for i in 0..12 {
        w.file(
            &format!("archive/2019 release/old-topic-{i}.dita"),
            topic(&mut rng, "Archive", i, false, false).as_bytes(),
        )?;
    }
    Ok(w.summary)
}

fn slug(s: &str) -> String {
    s.to_lowercase().replace(' ', "-")
}

fn topic_name(t: usize) -> String {
    match t {
        0 => "overview.dita".into(),
        1 => "Getting started.dita".into(),
        2 => "Überblick der Funktionen.dita".into(),
        3 => "release notes 2.1.dita".into(),
        _ => format!("{}-{:03}.dita", slug(SUBJECTS[t % SUBJECTS.len()]), t),
    }
}

/// Text and attribute values of the XML written here (the one escaper of the server).
fn escape(s: &str) -> std::borrow::Cow<'_, str> {
    quick_xml::escape::escape(s)
}

fn topic(rng: &mut Rng, product: &str, t: usize, broken: bool, malformed: bool) -> String {
    let title = format!(
        "{} {} in {}",
        SUBJECTS[rng.below(SUBJECTS.len())],
        OBJECTS[rng.below(OBJECTS.len())],
        product
    );
    let mut x = String::new();
    let _ = writeln!(x, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(
        x,
        r#"<!DOCTYPE task PUBLIC "-//OASIS//DTD DITA Task//EN" "task.dtd">"#
    );
    let _ = writeln!(x, r#"<task id="topic-{t:03}">"#);
    let _ = writeln!(x, "  <title>{}</title>", escape(&title));
    let _ = writeln!(
        x,
        "  <shortdesc>How to handle {} step by step.</shortdesc>",
        escape(product)
    );
    let _ = writeln!(x, "  <taskbody>");
    let _ = writeln!(
        x,
        r#"    <note conref="../reuse/warnings.dita#warnings/backup"/>"#
    );
    let _ = writeln!(x, "    <steps>");
    for s in 0..(3 + rng.below(5)) {
        let _ = writeln!(x, "      <step><cmd>Do step {} of the procedure with <keyword keyref=\"product-name\"/>.</cmd></step>", s + 1);
    }
    let _ = writeln!(x, "    </steps>");
    let _ = writeln!(
        x,
        r#"    <result><image href="../images/figure-{:02}.png"/></result>"#,
        rng.below(IMAGES_PER_SET)
    );
    let next = topic_name((t + 1) % TOPICS_PER_SET);
    let _ = writeln!(
        x,
        r#"    <postreq><xref href="{}"/></postreq>"#,
        escape(&next)
    );
    if broken {
        let _ = writeln!(
            x,
            r#"    <postreq><xref href="removed-topic-{t}.dita"/><image href="../images/missing-figure.png"/></postreq>"#
        );
    }
    if malformed {
        // An unclosed element: this topic cannot be parsed.
        let _ = writeln!(x, "    <p>This paragraph is never closed.");
    }
    let _ = writeln!(x, "  </taskbody>");
    let _ = writeln!(x, "</task>");
    x
}

fn reuse_topic(product: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE topic PUBLIC "-//OASIS//DTD DITA Topic//EN" "topic.dtd">
<topic id="warnings">
  <title>Reusable warnings for {0}</title>
  <body>
    <note id="backup" type="caution">Back up {0} before you change its configuration.</note>
  </body>
</topic>
"#,
        escape(product)
    )
}

fn names_topic(product: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE topic PUBLIC "-//OASIS//DTD DITA Topic//EN" "topic.dtd">
<topic id="names">
  <title>Product names</title>
  <body><p><ph id="name">{}</ph></p></body>
</topic>
"#,
        escape(product)
    )
}

fn map(product: &str, lang: &str, topics: &[String]) -> String {
    let mut x = String::new();
    let _ = writeln!(x, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(
        x,
        r#"<!DOCTYPE map PUBLIC "-//OASIS//DTD DITA Map//EN" "map.dtd">"#
    );
    let _ = writeln!(
        x,
        r#"<map id="{}-{lang}" xml:lang="{lang}">"#,
        slug(product)
    );
    let _ = writeln!(x, "  <title>{} guide ({lang})</title>", escape(product));
    let _ = writeln!(x, r#"  <mapref href="../../../shared/keys.ditamap"/>"#);
    let _ = writeln!(
        x,
        r#"  <keydef keys="product-name" href="reuse/product-names.dita"/>"#
    );
    for t in topics {
        let _ = writeln!(x, r#"  <topicref href="{}"/>"#, escape(t));
    }
    let _ = writeln!(x, "</map>");
    x
}

fn keys_map() -> String {
    r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE map PUBLIC "-//OASIS//DTD DITA Map//EN" "map.dtd">
<map id="shared-keys">
  <title>Shared keys</title>
  <keydef keys="glossary" href="glossary.xml"/>
</map>
"#
    .into()
}

fn glossary() -> String {
    r#"<?xml version="1.0" encoding="UTF-8"?>
<glossary id="glossary">
  <entry term="asset">A file in the repository.</entry>
  <entry term="map">A DITA map: the table of contents of a publication.</entry>
</glossary>
"#
    .into()
}

/// A valid RGB PNG of the given size (zlib by flate2, chunk checksums by crc32fast).
fn png(width: u32, height: u32, colour_seed: u64) -> Vec<u8> {
    let mut raw = Vec::with_capacity((width as usize * 3 + 1) * height as usize);
    let [r, g, b, ..] = colour_seed.to_le_bytes();
    for y in 0..height {
        raw.push(0); // filter: none
        for x in 0..width {
            raw.extend_from_slice(&[r ^ (x as u8), g ^ (y as u8), b]);
        }
    }
    let zlib = {
        use std::io::Write as _;
        let mut encoder =
            flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(&raw).expect("writing to memory");
        encoder.finish().expect("writing to memory")
    };

    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB
    png_chunk(&mut out, b"IHDR", &ihdr);
    png_chunk(&mut out, b"IDAT", &zlib);
    png_chunk(&mut out, b"IEND", &[]);
    out
}

fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32fast::hash(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn about_two_thousand_assets_and_deterministic() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let sa = generate(a.path(), 7).unwrap();
        let sb = generate(b.path(), 7).unwrap();
        assert_eq!(sa, sb);
        assert!((1_900..=2_200).contains(&sa.assets), "{sa}");
        let topic = "guides/Bifröst Gateway/en/topics/Getting started.dita";
        assert_eq!(
            fs::read(a.path().join(topic)).unwrap(),
            fs::read(b.path().join(topic)).unwrap()
        );
    }

    #[test]
    fn pngs_are_valid_chunk_by_chunk() {
        use std::io::Read as _;
        let (width, height) = (300u32, 250u32);
        let bytes = png(width, height, 9);
        let mut at = 8;
        let mut pixels = Vec::new();
        while at < bytes.len() {
            let len = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
            let body = &bytes[at + 4..at + 8 + len];
            let crc = u32::from_be_bytes(bytes[at + 8 + len..at + 12 + len].try_into().unwrap());
            assert_eq!(crc32fast::hash(body), crc, "chunk checksum");
            if &body[..4] == b"IDAT" {
                flate2::read::ZlibDecoder::new(&body[4..])
                    .read_to_end(&mut pixels)
                    .unwrap();
            }
            at += 12 + len;
        }
        assert_eq!(pixels.len(), (width as usize * 3 + 1) * height as usize);
        assert_eq!(
            imagesize::blob_size(&bytes)
                .map(|s| (s.width, s.height))
                .ok(),
            Some((300, 250))
        );
    }

    #[test]
    fn names_are_escaped_in_the_xml() {
        assert_eq!(
            escape(r#"A & <B> "c" 'd'"#),
            "A &amp; &lt;B&gt; &quot;c&quot; &apos;d&apos;"
        );
    }

    #[test]
    fn png_header_carries_the_size() {
        let bytes = png(33, 17, 1);
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(u32::from_be_bytes(bytes[16..20].try_into().unwrap()), 33);
        assert_eq!(u32::from_be_bytes(bytes[20..24].try_into().unwrap()), 17);
    }
}

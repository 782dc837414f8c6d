//! How long `kyc_codegen::generate` takes for the whole contract (`spec/schema/`, as `cargo
//! xtask codegen` passes it) and for its largest document alone. Run with
//! `cargo bench -p kyc-codegen --bench generate`.

use std::path::Path;

use kyc_codegen::Document;

fn main() {
    divan::main();
}

fn spec_documents() -> Vec<Document> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/schema");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("spec/schema exists")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json") && n != "cassette.schema.json")
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| Document {
            text: std::fs::read_to_string(dir.join(&name)).expect("schema is readable"),
            name: format!("spec/schema/{name}"),
        })
        .collect()
}

#[divan::bench]
fn whole_spec(bencher: divan::Bencher) {
    let documents = spec_documents();
    bencher
        .bench(|| kyc_codegen::generate(divan::black_box(&documents), "bench").expect("generates"));
}

#[divan::bench]
fn common_schema_alone(bencher: divan::Bencher) {
    let documents: Vec<Document> = spec_documents()
        .into_iter()
        .filter(|d| d.name.ends_with("common.schema.json"))
        .collect();
    bencher
        .bench(|| kyc_codegen::generate(divan::black_box(&documents), "bench").expect("generates"));
}

fn main() {
    let p = std::env::args().nth(1).unwrap();
    let t = std::fs::read_to_string(&p).unwrap();
    let mut sm = tamga::source::SourceMap::new();
    let id = sm.add(p, t.clone());
    match tamga::syntax::parse_file(id, &t) {
        Ok(f) => println!("{:#?}", f.decls.len()),
        Err(d) => print!("{}", tamga::diagnostics::render(&d, &sm, tamga::diagnostics::Style{color:false,width:100})),
    }
}

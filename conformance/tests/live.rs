//! Live-run behaviour through the binary, against stand-in targets on 127.0.0.1: retries and
//! the `flaky` outcome, the rate ceiling, shards, Ctrl-C still writing the report, record's
//! exit codes, webhook capture, the audit's answers and the migration report (their HTML parsed).

mod live {
    mod audit;
    mod binary;
    mod html;
    mod migrate;
    mod sandbox;
    mod stand_in;
}

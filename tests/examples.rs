//! Runs every program in examples/ so `cargo test` keeps them working.

#[path = "../examples/01_single_run.rs"]
mod ex01;
#[path = "../examples/02_custom_regimen.rs"]
mod ex02;
#[path = "../examples/03_theory_switch.rs"]
mod ex03;
#[path = "../examples/04_streaming_patient.rs"]
mod ex04;
#[path = "../examples/05_circuit_milliseconds.rs"]
mod ex05;

#[test]
fn example_01_single_run() {
    ex01::main().expect("01_single_run");
}

#[test]
fn example_02_custom_regimen() {
    ex02::main().expect("02_custom_regimen");
}

#[test]
fn example_03_theory_switch() {
    ex03::main().expect("03_theory_switch");
}

#[test]
fn example_04_streaming_patient() {
    ex04::main().expect("04_streaming_patient");
}

#[test]
fn example_05_circuit_milliseconds() {
    ex05::main().expect("05_circuit_milliseconds");
}

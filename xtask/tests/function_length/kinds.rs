//! One function of each kind `function_length.rs` measures, with known lengths.

/// Four lines, and a nested function of two.
fn free() {
    fn nested() {
    }
}

struct Thing;

impl Thing {
    #[allow(dead_code)] // Attributes and docs are not counted: four lines.
    fn method(&self) -> u8 {
        let one = 1;
        one
    }
}

trait Named {
    fn required(&self);
    fn provided(&self) {
        self.required()
    }
}

mod inline {
    fn inside() {}
}

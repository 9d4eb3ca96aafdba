//! The picture `cargo xtask mp3d` draws (issue 19 item 5; paper §3's wind-tunnel
//! simulation): a density field over the tunnel's x-y cross-section as a heat map PNG,
//! the flow from left to right, each cell a square of pixels, the object in grey.

use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

/// Densities in molecules per cell x 100, row-major from y = 0 (the tunnel's floor); None
/// where a cell's centre is inside the object.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub nx: usize,
    pub ny: usize,
    pub cells: Vec<Option<u32>>,
}

impl Field {
    pub fn at(&self, x: usize, y: usize) -> Option<u32> {
        self.cells[y * self.nx + x]
    }

    /// The largest density outside the object (0 for an empty field).
    pub fn max(&self) -> u32 {
        self.cells.iter().flatten().copied().max().unwrap_or(0)
    }
}

/// The object's colour: no density belongs to it, so it is none of the map's.
pub const OBJECT: [u8; 3] = [150, 150, 150];

/// Control points of the colour map (matplotlib's "inferno" sampled at quarters): dark
/// for an empty cell, through purple and red to pale yellow for the densest. Its
/// lightness rises monotonically, so the shock reads as a brighter band in grey too.
const STOPS: [[u8; 3]; 5] = [[0, 0, 4], [87, 16, 110], [188, 55, 84], [249, 142, 9], [252, 255, 164]];

/// The colour of `t` in [0, 1] (clamped): linear between the control points.
pub fn colour(t: f64) -> [u8; 3] {
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
    let position = t * (STOPS.len() - 1) as f64;
    let i = (position.floor() as usize).min(STOPS.len() - 2);
    let f = position - i as f64;
    let mut out = [0u8; 3];
    for (c, o) in out.iter_mut().enumerate() {
        let (a, b) = (STOPS[i][c] as f64, STOPS[i + 1][c] as f64);
        *o = (a + (b - a) * f).round() as u8;
    }
    out
}

/// The picture as RGB rows, top row first: y = ny - 1 at the top (the tunnel as one looks
/// at it), `scale` pixels a cell, densities from 0 to the field's maximum.
pub fn render(field: &Field, scale: usize) -> (u32, u32, Vec<u8>) {
    let (width, height) = (field.nx * scale, field.ny * scale);
    let top = field.max().max(1) as f64;
    let mut rgb = Vec::with_capacity(width * height * 3);
    for row in 0..height {
        let y = field.ny - 1 - row / scale;
        for column in 0..width {
            let pixel = match field.at(column / scale, y) {
                None => OBJECT,
                Some(d) => colour(d as f64 / top),
            };
            rgb.extend_from_slice(&pixel);
        }
    }
    (width as u32, height as u32, rgb)
}

/// Writes RGB rows as an 8-bit PNG.
pub fn write_png(path: &Path, width: u32, height: u32, rgb: &[u8]) -> Result<(), String> {
    let file = File::create(path).map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    let mut encoder = png::Encoder::new(BufWriter::new(file), width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::High);
    let mut writer = encoder.write_header().map_err(|e| format!("{}: {e}", path.display()))?;
    writer.write_image_data(rgb).map_err(|e| format!("{}: {e}", path.display()))?;
    writer.finish().map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lightness(c: [u8; 3]) -> u32 {
        299 * c[0] as u32 + 587 * c[1] as u32 + 114 * c[2] as u32
    }

    #[test]
    fn the_colour_map_runs_dark_to_light_through_its_stops() {
        assert_eq!(colour(0.0), STOPS[0]);
        assert_eq!(colour(1.0), STOPS[4]);
        assert_eq!(colour(0.5), STOPS[2]);
        assert_eq!(colour(-3.0), STOPS[0], "clamped below");
        assert_eq!(colour(7.0), STOPS[4], "clamped above");
        assert_eq!(colour(f64::NAN), STOPS[0]);
        // Half-way between two stops is their mean.
        assert_eq!(colour(0.125), [44, 8, 57]);
        // Lighter all the way: a denser cell is never drawn darker.
        let mut last = 0;
        for i in 0..=256 {
            let l = lightness(colour(i as f64 / 256.0));
            assert!(l >= last, "darker at {i}/256");
            last = l;
        }
        assert!(OBJECT != colour(0.0) && OBJECT != colour(1.0));
    }

    #[test]
    fn render_puts_the_floor_at_the_bottom_and_scales_to_the_maximum() {
        // 2 x 2: floor (y = 0) 0 and 200, top row the object and 100.
        let field = Field { nx: 2, ny: 2, cells: vec![Some(0), Some(200), None, Some(100)] };
        let (w, h, rgb) = render(&field, 3);
        assert_eq!((w, h), (6, 6));
        assert_eq!(rgb.len(), 6 * 6 * 3);
        let pixel = |x: usize, y: usize| -> [u8; 3] { rgb[(y * 6 + x) * 3..][..3].try_into().unwrap() };
        assert_eq!(pixel(0, 0), OBJECT);
        assert_eq!(pixel(2, 2), OBJECT);
        assert_eq!(pixel(5, 0), colour(0.5));
        assert_eq!(pixel(0, 5), colour(0.0));
        assert_eq!(pixel(3, 3), colour(1.0));
        // An empty field does not divide by zero.
        let empty = Field { nx: 1, ny: 1, cells: vec![Some(0)] };
        assert_eq!(render(&empty, 1).2, colour(0.0).to_vec());
    }

    #[test]
    fn the_png_decodes_to_the_same_pixels() {
        let field = Field { nx: 3, ny: 2, cells: vec![Some(10), Some(20), Some(30), None, Some(0), Some(5)] };
        let (w, h, rgb) = render(&field, 2);
        let path = std::env::temp_dir().join(format!("xtask-heatmap-{}.png", std::process::id()));
        write_png(&path, w, h, &rgb).unwrap();
        let decoder = png::Decoder::new(std::io::BufReader::new(File::open(&path).unwrap()));
        let mut reader = decoder.read_info().unwrap();
        let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buffer).unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_eq!((info.width, info.height, info.color_type), (6, 4, png::ColorType::Rgb));
        assert_eq!(&buffer[..info.buffer_size()], &rgb[..]);
        assert!(write_png(Path::new("/nonexistent-dir/x.png"), w, h, &rgb).is_err());
    }
}

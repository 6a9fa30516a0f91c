//! Writes small workbooks and CSV files in the import templates' shape into DIR, as the starting
//! corpus of the sheet fuzz targets (scripts/fuzz.sh).

use chainchief_sheets::{CellOut, SheetOut, template_xlsx, write_csv, write_xlsx};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).ok_or("usage: fuzz_seeds DIR")?);
    std::fs::create_dir_all(&dir)?;
    let columns = [("统一社会信用代码", "18位"), ("企业名称", "必填"), ("营业收入（亿元）", "数字")];
    std::fs::write(dir.join("template.xlsx"), template_xlsx(&columns, &["91430681MA4L0000X0", "示范企业", "1.5"])?)?;
    let sheet = SheetOut {
        name: "企业库".into(),
        headers: columns.iter().map(|c| c.0.to_string()).collect(),
        rows: vec![
            vec![CellOut::Empty, CellOut::Text("示范铜业有限公司".into()), CellOut::Number(12.5)],
            vec![CellOut::Text("=1+1".into()), CellOut::Text("“引号”,逗号".into()), CellOut::Empty],
        ],
    };
    std::fs::write(dir.join("rows.xlsx"), write_xlsx(std::slice::from_ref(&sheet))?)?;
    std::fs::write(dir.join("rows.csv"), write_csv(&sheet))?;
    Ok(())
}

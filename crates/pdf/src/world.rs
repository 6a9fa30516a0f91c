//! The typst world of one document: the layout as the main source, the document as /data.json,
//! and the fonts of this machine, found once and loaded lazily.

use std::path::PathBuf;
use std::sync::OnceLock;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook, FontVariant};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_kit::fonts::FontStore;
use typst_layout::PagedDocument;

/// The standard library and the fonts, shared by every document of the process.
pub struct Fonts {
    library: LazyHash<Library>,
    pub(crate) store: FontStore,
}

static FONTS: OnceLock<Result<Fonts, String>> = OnceLock::new();

/// The fonts of the system and of `dirs`, found on first use; an error when none covers Chinese.
pub fn fonts(dirs: &[PathBuf]) -> Result<&'static Fonts, String> {
    FONTS
        .get_or_init(|| {
            let mut store = FontStore::new();
            store.extend(typst_kit::fonts::system());
            for dir in dirs {
                store.extend(typst_kit::fonts::scan(dir));
            }
            if store.book().select_fallback(None, FontVariant::default(), "中文").is_none() {
                return Err(
                    "找不到中文字体：请安装 fonts-noto-cjk（或 fonts-wqy-microhei），或在设置 font_dir 中指定字体目录"
                        .into(),
                );
            }
            Ok(Fonts { library: LazyHash::new(Library::builder().build()), store })
        })
        .as_ref()
        .map_err(Clone::clone)
}

fn file_id(path: &str) -> Result<FileId, String> {
    let vpath = VirtualPath::new(path).map_err(|e| format!("{e:?}"))?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

struct DocWorld<'a> {
    fonts: &'a Fonts,
    main: Source,
    data_id: FileId,
    data: Bytes,
}

impl World for DocWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.fonts.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.store.book()
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() { Ok(self.main.clone()) } else { Err(FileError::NotSource) }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id { Ok(self.data.clone()) } else { Err(FileError::AccessDenied) }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.store.font(index)
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

/// Typesets `layout` over `data` (served as /data.json) into a PDF.
pub fn typeset(fonts: &Fonts, layout: &str, data: Vec<u8>) -> Result<Vec<u8>, String> {
    let world = DocWorld {
        fonts,
        main: Source::new(file_id("/main.typ")?, layout.to_string()),
        data_id: file_id("/data.json")?,
        data: Bytes::new(data),
    };
    let result = typst::compile::<PagedDocument>(&world).output;
    // Keep the memo cache of a long-running server small.
    comemo::evict(10);
    let document = result.map_err(|errors| {
        let messages: Vec<String> = errors.iter().map(|e| e.message.to_string()).collect();
        format!("排版失败：{}", messages.join("；"))
    })?;
    typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()).map_err(|errors| {
        let messages: Vec<String> = errors.iter().map(|e| e.message.to_string()).collect();
        format!("生成 PDF 失败：{}", messages.join("；"))
    })
}

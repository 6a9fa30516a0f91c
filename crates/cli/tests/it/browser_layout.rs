//! Page layout in chromium at the sizes officials use: the map page's controls never overlap and
//! the whole map shows at 1366–1920 wide; charts keep readable text on a 390px phone.

use crate::browser::{login, screenshot, start};
use crate::harness::{Backend, TestApp};

/// Pairs of visible page-head controls (links and buttons) whose boxes overlap, as text.
const OVERLAPS: &str = "let els=[...document.querySelectorAll('.page-head a, .page-head button, .page-head input')]\
    .filter(e=>e.offsetParent!==null);\
    let r=els.map(e=>[e.textContent.trim()||e.name, e.getBoundingClientRect()]);let out=[];\
    for(let i=0;i<r.length;i++)for(let j=i+1;j<r.length;j++){let a=r[i][1],b=r[j][1];\
    if(a.left<b.right-1&&b.left<a.right-1&&a.top<b.bottom-1&&b.top<a.bottom-1)out.push(r[i][0]+' × '+r[j][0]);}\
    return out.join('; ');";

/// How far the map drawing reaches past its frame's right edge (px; ≤ 0: all of it shows).
const MAP_OVERRUN: &str = "let f=document.querySelector('.map-frame'),s=f.querySelector('svg');\
    return Math.round(s.getBoundingClientRect().right-f.getBoundingClientRect().right);";

/// The smallest text of any chart as drawn on screen (px): font size × the chart's scale.
const SMALLEST_CHART_TEXT: &str = "let least=1000;for(const s of document.querySelectorAll('.chart svg')){\
    const vb=s.viewBox.baseVal;if(!vb||!vb.width)continue;const k=s.getBoundingClientRect().width/vb.width;\
    for(const t of s.querySelectorAll('text')){const fs=parseFloat(getComputedStyle(t).fontSize);\
    if(t.textContent.trim())least=Math.min(least,fs*k);}}return least;";

#[tokio::test]
async fn the_map_pages_controls_stand_apart_and_the_whole_map_shows_on_desktops() {
    for width in [1366, 1440, 1920] {
        let Some(b) = start(width, 900, false).await else { return };
        let app = TestApp::spawn(Backend::Sqlite).await;
        login(&b, &app, "office").await;
        let token = app.token("office").await;
        for chain in ["有色金属新材料产业链", "非金属新材料产业链"] {
            let id = app.chain_id(&token, chain).await;
            for kind in ["", "?kind=status"] {
                b.client.goto(&format!("{}/chains/{id}/map{kind}", app.base)).await.expect("map");
                let overlaps = b.client.execute(OVERLAPS, vec![]).await.expect("js");
                assert_eq!(overlaps.as_str(), Some(""), "{width}px {chain}{kind}: controls overlap");
                let overrun = b.client.execute(MAP_OVERRUN, vec![]).await.expect("js").as_i64().expect("px");
                assert!(overrun <= 1, "{width}px {chain}{kind}: the map runs {overrun}px past its frame");
            }
            screenshot(&b, &format!("map-{width}")).await;
        }
    }
}

#[tokio::test]
async fn charts_keep_readable_text_on_a_phone() {
    let Some(b) = start(390, 844, true).await else { return };
    let app = TestApp::spawn(Backend::Sqlite).await;
    login(&b, &app, "office").await;
    let token = app.token("office").await;
    let chain = app.chain_id(&token, "有色金属新材料产业链").await;
    for path in ["/cockpit".to_string(), format!("/chains/{chain}/cockpit")] {
        b.client.goto(&format!("{}{path}", app.base)).await.expect("cockpit");
        let least = b.client.execute(SMALLEST_CHART_TEXT, vec![]).await.expect("js").as_f64().expect("px");
        assert!((9.5..1000.0).contains(&least), "{path}: the smallest chart text is {least:.1}px on a 390px phone");
        let page = b.client.execute("return document.documentElement.scrollWidth", vec![]).await.expect("js");
        assert!(page.as_i64().expect("px") <= 391, "{path}: the page itself does not scroll sideways");
    }
    screenshot(&b, "phone-390-cockpit").await;
}

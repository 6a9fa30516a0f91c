"""Writes an .xlsx of the enterprise import's columns with ROWS rows of varied text (inline
strings, deflated), for bench/upload_memory.sh. Usage: big_sheet.py OUT ROWS"""
import random
import sys
import zipfile

out, rows = sys.argv[1], int(sys.argv[2])
headers = ["统一社会信用代码", "企业名称", "简称", "园区", "产业链", "环节", "规模", "企业类型",
           "是否上市", "营业收入（亿元）", "从业人员（人）", "主要产品", "梯队"]
rnd = random.Random(7)
chars = "汨罗新材料电子信息有色金属机械制造循环经济再生塑料铜铝精密科技股份有限公司产品设备配件"


def cell(col, row, text):
    return f'<c r="{col}{row}" t="inlineStr"><is><t>{text}</t></is></c>'


def word(n):
    return "".join(rnd.choice(chars) for _ in range(n))


cols = "ABCDEFGHIJKLM"
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml",
               '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
               '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
               '<Default Extension="xml" ContentType="application/xml"/>'
               '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
               '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
               '</Types>')
    z.writestr("_rels/.rels",
               '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
               '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
               '</Relationships>')
    z.writestr("xl/workbook.xml",
               '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
               'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
               '<sheet name="企业库" sheetId="1" r:id="rId1"/></sheets></workbook>')
    z.writestr("xl/_rels/workbook.xml.rels",
               '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
               '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
               '</Relationships>')
    with z.open("xl/worksheets/sheet1.xml", "w") as f:
        f.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
        f.write(("<row r=\"1\">" + "".join(cell(c, 1, h) for c, h in zip(cols, headers)) + "</row>").encode())
        for r in range(2, rows + 2):
            values = ["", word(12) + "有限公司", word(4), "", "", "", "规上", "内资", "否",
                      str(rnd.randint(1, 9999) / 100), str(rnd.randint(1, 5000)), "、".join(word(4) for _ in range(3)), ""]
            f.write(("<row r=\"%d\">" % r + "".join(cell(c, r, v) for c, v in zip(cols, values) if v) + "</row>").encode())
        f.write(b"</sheetData></worksheet>")

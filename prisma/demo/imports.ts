// Offline records shipped with the demo (prisma/demo/imports/*.csv, written by scripts/make-demo-imports.ts),
// loaded by the demo seed through the same import path officials use, as the official named here.
//   2021 中山 ↔ 六盘水: 1.83亿元 (two files: UTF-8 with BOM, UTF-8)
//   2022 黄埔 ↔ 独山:   4.06亿元 (GBK)
export const demoImports = [
  { file: '2021-zhongshan-liupanshui-procurement.csv', as: 'official-zs-lps@demo.shanhai.cn' },
  { file: '2021-zhongshan-liupanshui-helped-sales.csv', as: 'official-zs-lps@demo.shanhai.cn' },
  { file: '2022-huangpu-dushan.gbk.csv', as: 'official-hp-ds@demo.shanhai.cn' },
];

// Draws the supervision dashboard from the JSON endpoint named by data-source on #zt-dashboard.
(function () {
  "use strict";
  var root = document.getElementById("zt-dashboard");
  if (!root || !window.echarts) { return; }
  var dark = root.dataset.theme === "dark";
  var colors = { normal: "#2e7d32", yellow: "#f9a825", red: "#c62828", paused: "#757575" };
  function chart(id) { return echarts.init(document.getElementById(id), dark ? "dark" : null); }
  function draw(d) {
    document.getElementById("zt-statutory").textContent = d.statutory_over;
    chart("zt-status").setOption({
      title: { text: "在办案件状态" }, tooltip: { trigger: "item" },
      series: [{ type: "pie", radius: ["35%", "65%"], data: d.status.map(function (s) {
        return { name: s.name, value: s.value, itemStyle: { color: colors[s.code] } }; }) }]
    });
    chart("zt-trend").setOption({
      title: { text: "近12个月受理、办结与超期" }, tooltip: { trigger: "axis" },
      legend: { top: 24, data: ["受理", "办结", "超期"] },
      xAxis: { type: "category", data: d.trend.months }, yAxis: { type: "value" },
      series: [{ name: "受理", type: "line", data: d.trend.opened },
               { name: "办结", type: "line", data: d.trend.finished },
               { name: "超期", type: "line", data: d.trend.overdue, itemStyle: { color: colors.red } }]
    });
    var ranking = d.ranking.slice().reverse();
    chart("zt-ranking").setOption({
      title: { text: "部门综合得分排名（本月）" }, tooltip: {}, grid: { left: 160 },
      xAxis: { type: "value", max: 100 }, yAxis: { type: "category", data: ranking.map(function (r) { return r.name; }) },
      series: [{ type: "bar", data: ranking.map(function (r) { return r.score; }) }]
    });
    var items = d.top_overdue_items.slice().reverse();
    chart("zt-items").setOption({
      title: { text: "超期最多的事项" }, tooltip: {}, grid: { left: 160 },
      xAxis: { type: "value" }, yAxis: { type: "category", data: items.map(function (r) { return r.name; }) },
      series: [{ type: "bar", data: items.map(function (r) { return r.value; }), itemStyle: { color: colors.red } }]
    });
  }
  function load() {
    fetch(root.dataset.source, { credentials: "same-origin" })
      .then(function (r) { return r.json(); }).then(draw);
  }
  load();
  setInterval(load, 60000);
  window.addEventListener("resize", function () {
    root.querySelectorAll(".zt-chart").forEach(function (el) { var c = echarts.getInstanceByDom(el); if (c) { c.resize(); } });
  });
})();

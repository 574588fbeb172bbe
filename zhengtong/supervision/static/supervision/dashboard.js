// Draws the supervision dashboard from the JSON endpoint named by data-source on #zt-dashboard.
(function () {
  "use strict";
  var root = document.getElementById("zt-dashboard");
  if (!root || !window.echarts) { return; }
  var dark = root.dataset.theme === "dark";
  var colors = { normal: "#2e7d32", yellow: "#f9a825", red: "#c62828", paused: "#757575" };
  function el(id) { return document.getElementById(id); }
  function chart(id) { return echarts.init(el(id), dark ? "dark" : null); }
  // titles and series names come translated from the page (data-title, data-opened…)
  var trend = el("zt-trend").dataset;
  var names = [trend.opened, trend.finished, trend.overdue];
  function draw(d) {
    el("zt-statutory").textContent = d.statutory_over;
    chart("zt-status").setOption({
      title: { text: el("zt-status").dataset.title }, tooltip: { trigger: "item" },
      series: [{ type: "pie", radius: ["35%", "65%"], label: { width: 110, overflow: "break" }, data: d.status.map(function (s) {
        return { name: s.name, value: s.value, itemStyle: { color: colors[s.code] } }; }) }]
    });
    chart("zt-trend").setOption({
      title: { text: trend.title }, tooltip: { trigger: "axis" },
      legend: { top: 24, data: names },
      xAxis: { type: "category", data: d.trend.months }, yAxis: { type: "value" },
      series: [{ name: names[0], type: "line", data: d.trend.opened },
               { name: names[1], type: "line", data: d.trend.finished },
               { name: names[2], type: "line", data: d.trend.overdue, itemStyle: { color: colors.red } }]
    });
    var ranking = d.ranking.slice().reverse();
    chart("zt-ranking").setOption({
      title: { text: el("zt-ranking").dataset.title }, tooltip: {}, grid: { left: 8, right: 24, containLabel: true },
      xAxis: { type: "value", max: 100 }, yAxis: { type: "category", data: ranking.map(function (r) { return r.name; }) },
      series: [{ type: "bar", data: ranking.map(function (r) { return r.score; }) }]
    });
    var items = d.top_overdue_items.slice().reverse();
    chart("zt-items").setOption({
      title: { text: el("zt-items").dataset.title }, tooltip: {}, grid: { left: 8, right: 24, containLabel: true },
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

/* mm-webagent page runtime: starts the page's ECharts charts and reports when media are ready. */
(function () {
  'use strict';
  var optionsNode = document.getElementById('chart-options');
  var options = optionsNode ? JSON.parse(optionsNode.textContent) : {};
  var pending = 0;
  var charts = [];

  document.querySelectorAll('[data-asset-kind="chart"]').forEach(function (el) {
    var option = options[el.dataset.assetId];
    if (!option || !window.echarts) return;
    var chart = window.echarts.init(el, null, { renderer: 'canvas' });
    pending += 1;
    chart.on('finished', function once() { chart.off('finished', once); pending -= 1; });
    chart.setOption(option);
    charts.push(chart);
  });

  if (window.ResizeObserver && charts.length) {
    var observer = new ResizeObserver(function (entries) {
      entries.forEach(function (entry) {
        var chart = window.echarts.getInstanceByDom(entry.target);
        if (chart) chart.resize();
      });
    });
    charts.forEach(function (chart) { observer.observe(chart.getDom()); });
  }

  window.webagentReady = function () {
    var videosReady = Array.prototype.every.call(document.querySelectorAll('video'), function (v) {
      return v.readyState >= 2 || v.error;
    });
    var imagesReady = Array.prototype.every.call(document.images, function (img) { return img.complete; });
    return pending === 0 && videosReady && imagesReady;
  };
})();

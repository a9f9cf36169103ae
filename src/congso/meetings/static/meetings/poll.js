// Refresh the elements marked data-poll-url every data-poll-seconds (the live roll call).
document.querySelectorAll("[data-poll-url]").forEach(function (box) {
  var seconds = parseInt(box.dataset.pollSeconds || "5", 10);
  setInterval(function () {
    fetch(box.dataset.pollUrl, { credentials: "same-origin" })
      .then(function (answer) { return answer.ok ? answer.text() : null; })
      .then(function (html) { if (html !== null) { box.innerHTML = html; } })
      .catch(function () {});
  }, seconds * 1000);
});

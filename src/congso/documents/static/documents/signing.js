// The official's signature with their own signer: start on the server, then hand the request
// to the local signing agent (desk token) or wait for the phone confirmation (remote service).
(function () {
  "use strict";
  const panel = document.getElementById("sign-panel");
  if (!panel) return;
  const button = document.getElementById("sign-start");
  const status = document.getElementById("sign-status");
  const csrf = (document.cookie.match(/(?:^|; )csrftoken=([^;]+)/) || [])[1] ||
    (document.querySelector("input[name=csrfmiddlewaretoken]") || {}).value || "";
  const say = (text) => { status.textContent = text; };

  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": decodeURIComponent(csrf) },
      body: body ? JSON.stringify(body) : "{}",
    });
    const data = await response.json().catch(() => ({ error: "Máy chủ trả lời không hợp lệ." }));
    if (!response.ok && !data.error) data.error = "Không thực hiện được yêu cầu.";
    return data;
  }

  function finished(data) {
    if (data.error) { say(data.error); button.disabled = false; return true; }
    if (data.done) { window.location.assign(data.redirect); return true; }
    return false;
  }

  async function viaAgent(started) {
    const request = started.request;
    say("Đang chờ xác nhận trên phần mềm ký số tại máy…");
    let answer;
    try {
      const response = await fetch(request.agent_url.replace(/\/$/, "") + "/v1/sign", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(request),
      });
      answer = await response.json();
      if (!response.ok) {
        say(answer.error === "refused" ? "Đã từ chối ký trên phần mềm ký số." :
          "Phần mềm ký số không ký được (" + (answer.error || response.status) + ").");
        button.disabled = false;
        return;
      }
    } catch (error) {
      say("Không kết nối được phần mềm ký số trên máy; hãy mở phần mềm và thử lại.");
      button.disabled = false;
      return;
    }
    finished(await post(started.complete_url, { signature: answer.signature }));
  }

  async function viaPhone(started) {
    say("Đã gửi yêu cầu; hãy xác nhận trên ứng dụng ký số của điện thoại…");
    for (let i = 0; i < 150; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      if (finished(await post(started.status_url))) return;
    }
    say("Quá thời gian chờ xác nhận; hãy ký lại.");
    button.disabled = false;
  }

  button.addEventListener("click", async () => {
    button.disabled = true;
    say("Đang chuẩn bị văn bản để ký…");
    const started = await post(panel.dataset.startUrl);
    if (finished(started)) return;
    if (started.step === "agent") await viaAgent(started);
    else if (started.step === "confirm") await viaPhone(started);
  });
})();

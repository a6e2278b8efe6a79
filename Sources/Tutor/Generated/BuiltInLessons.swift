// Generated from Lessons/*.md and Lessons/captures/*.jsonl by BuiltInLessonsTests; do not edit by hand. After changing a lesson, run
// `STACKLAB_UPDATE_GOLDEN=1 swift test --filter BuiltInLessonsTests` and commit both.

/// The lesson files of `Lessons/`, compiled into the binary so that a copied or installed `stacklab`
/// has its lessons; a test keeps them byte for byte equal to the folder.
public enum BuiltInLessons {
    public static let files: [(name: String, text: String)] = [
        (
            name: "01-layers.md",
            text: #"""
# Layers and encapsulation

title: Layers and encapsulation: one message, byte by byte
title.zh: 分层与封装：一条消息，逐字节拆开
scenario: teardown-client-first
bytes: 20
seed: 1

## at first data from client
focus: payload
[en]
The article describes three layers: the application layer decides *what* to send (HTTP, FTP, Telnet), the transport layer (TCP) and the network layer (IP) decide *how* it crosses the network. Here the client application hands 20 bytes to its socket. They are the last bytes of this packet: the application data, highlighted on the right.
[zh]
文章讲了三层：应用层决定“发什么”（HTTP、FTP、Telnet），传输层（TCP）和网络层（IP）解决“怎么在网络中传输”。这里客户端应用把 20 个字节交给套接字。它们位于这个数据包的最后：右边高亮的就是应用数据。

## at first data from client
focus: tcp.sport
[en]
In front of the data, TCP puts its own 20-byte header. The first two fields are the ports: source 49152 (an ephemeral port the client's stack picked) and destination 80. Ports say which socket on each host the bytes belong to; IP knows nothing about them.
[zh]
TCP 在数据前面加上自己 20 字节的首部。最前面两个字段是端口：源端口 49152（客户端协议栈挑选的临时端口）和目的端口 80。端口说明这些字节属于两端主机上的哪个套接字；IP 对端口一无所知。

## at first data from client
focus: tcp.seq
[en]
Next come the sequence number and the acknowledgment number. They number bytes, not packets: this segment's 20 bytes are numbered 1 to 20 relative to the client's initial sequence number. This is what lets TCP put bytes back in order and notice what is missing.
[zh]
接着是序号和确认号。它们给字节编号，而不是给数据包编号：这个报文段的 20 个字节，相对客户端初始序号的编号是 1 到 20。正是靠它 TCP 才能把字节按顺序排好，并发现缺了哪些。

## at first data from client
focus: tcp.flags
[en]
The flags byte says what kind of segment this is. Here ACK and PSH are set: it acknowledges what the server sent so far and asks the receiver to deliver the data to the application promptly. The window field (65535) tells the server how many bytes the client can still receive.
[zh]
标志位字节说明这是什么样的报文段。这里置位了 ACK 和 PSH：它确认了服务器到目前为止发来的内容，并要求接收方尽快把数据交给应用程序。窗口字段（65535）告诉服务器客户端还能接收多少字节。

## at first data from client
focus: tcp.checksum
[en]
The TCP checksum covers the TCP header, the data, and a pseudo-header with the IP addresses. A receiver that finds a wrong checksum silently drops the segment, and the sender's retransmission repairs the loss.
[zh]
TCP 校验和覆盖 TCP 首部、数据，以及包含 IP 地址的伪首部。接收方发现校验和不对，就悄悄丢弃这个报文段，再由发送方的重传来弥补。

## at first data from client
focus: ip.protocol
[en]
The whole TCP segment is itself the payload of an IPv4 packet. The IP header (the first 20 bytes) has a protocol field: 6 means "the payload is TCP" (17 would be UDP). Total length is 60 = 20 (IP) + 20 (TCP) + 20 (data).
[zh]
整个 TCP 报文段本身又是 IPv4 数据包的载荷。IP 首部（最前面 20 字节）有一个协议字段：6 表示“载荷是 TCP”（17 则是 UDP）。总长度 60 = 20（IP）+ 20（TCP）+ 20（数据）。

## at first data from client
focus: ip.dst
[en]
Finally the addresses: 10.0.0.1 (client) to 10.0.0.2 (server). Routers look only at this layer. Every layer wraps the one above it and adds the information it needs: that is encapsulation. The receiver unwraps in the opposite order: IP, then TCP, then the application gets its 20 bytes.
[zh]
最后是地址：从 10.0.0.1（客户端）到 10.0.0.2（服务器）。路由器只看这一层。每一层都把上一层包起来，加上自己需要的信息：这就是封装。接收方按相反的顺序拆开：先 IP，再 TCP，最后应用拿到它的 20 个字节。

## at first ACK from server received
focus: tcp.ack
[en]
The server's reply carries no data: only headers, 40 bytes in all. Its acknowledgment number 21 (relative) says "I have your 20 bytes, send byte 21 next". Overhead matters: for small messages the headers can be bigger than the data.
[zh]
服务器的回复不带数据：只有首部，一共 40 字节。确认号 21（相对值）表示“你的 20 个字节我都收到了，下一个请发第 21 个”。开销不可忽视：对小消息来说，首部可能比数据还大。

"""#
        ),
        (
            name: "02-sockets.md",
            text: #"""
# Sockets are an API

title: Sockets are an API: listen, connect, accept, several clients
title.zh: 套接字是接口：listen、connect、accept 与多个客户端
scenario: many-clients
seed: 1

## when server calls listen
[en]
A socket is not a protocol: it is the programming interface (API) through which an application uses the TCP/IP stack, as the article puts it. The server calls `listen(80, backlog 2)`: "accept connection requests on port 80, and let at most 2 of them wait for me". Five clients will each connect 5 ms apart, send 1000 bytes and get them echoed back.
[zh]
正如文章所说，套接字不是协议，而是应用程序使用 TCP/IP 协议栈的编程接口（API）。服务器调用 `listen(80, backlog 2)`：“在 80 端口接受连接请求，最多让 2 个请求排队等我”。五个客户端每隔 5 毫秒各自发起连接，发送 1000 字节，再收到原样回显。

## at first SYN from client1
[en]
client1 calls `connect(server, 80)`: the client describes the server socket it wants by address and port, and its TCP sends a SYN. The hosts here sit behind a router; a packet takes 10 ms from one host to another.
[zh]
client1 调用 `connect(server, 80)`：客户端用地址和端口描述它要连接的服务器套接字，它的 TCP 发出 SYN。这里的主机都接在一台路由器上；数据包从一台主机到另一台要 10 毫秒。

## when server enters SYN-RECEIVED
[en]
client1's SYN arrives. The listening socket does not change: it creates a *new* connection for client1, in SYN-RECEIVED, and answers SYN+ACK. The listener stays in LISTEN, ready for other clients: the article's "server keeps listening".
[zh]
client1 的 SYN 到达。监听套接字本身不变：它为 client1 创建一个*新的*连接，处于 SYN-RECEIVED，并回复 SYN+ACK。监听套接字仍然在 LISTEN，准备迎接别的客户端：这就是文章中说的“服务器继续处于监听状态”。

## at first SYN from client3 dropped
[en]
client3's SYN arrives at 25 ms, but two connections (client1's and client2's) are already waiting in the listen queue, still half-open. With backlog 2 the queue is full, so the server drops this SYN without answering. client4 and client5 meet the same fate.
[zh]
client3 的 SYN 在 25 毫秒到达，但监听队列里已经有两个连接（client1 和 client2 的）在等待，仍是半打开状态。backlog 为 2，队列满了，服务器不作任何回应，直接丢弃这个 SYN。client4 和 client5 也是同样的遭遇。

## when server calls accept
[en]
At 35 ms client1's ACK completes its handshake, and `accept()` returns a new socket for client1. This is the "connection confirmed" step of the article. The server will keep one socket per client plus the listening socket: a TCP connection is identified by both addresses and both ports.
[zh]
35 毫秒时 client1 的 ACK 完成了握手，`accept()` 为 client1 返回一个新的套接字。这就是文章中的“连接确认”。服务器为每个客户端保留一个套接字，外加监听套接字：一条 TCP 连接由双方的地址和端口共同确定。

## at first SYN from client3 retransmitted
[en]
client3 never got an answer. Its retransmission timer fires after the initial RTO of 1 s and it sends the SYN again. By now the queue has room, so this time the server answers.
[zh]
client3 一直没有收到回应。它的重传计时器在初始 RTO 1 秒后触发，于是再次发送 SYN。此时队列已有空位，这次服务器作出了回应。

## when third server calls accept
[en]
client3 is accepted at 1.045 s, a full second late: a full listen queue costs clients time, not errors. The backlog limits connections that are waiting to be accepted, not the number of connections a server can hold.
[zh]
client3 在 1.045 秒被接受，整整晚了一秒：监听队列满时，客户端付出的是时间而不是错误。backlog 限制的是等待被 accept 的连接数，而不是服务器能同时持有的连接数。

## at end
[en]
Every client got its 1000 bytes back and closed. Each side used the same few calls, `listen`, `connect`, `accept`, `send`, `close`, and TCP did the rest: that is what a socket API is.
[zh]
每个客户端都收回了自己的 1000 字节并关闭了连接。两边都只用了这几个调用：`listen`、`connect`、`accept`、`send`、`close`，其余的都由 TCP 完成：这就是套接字 API 的意义。

"""#
        ),
        (
            name: "03-handshake.md",
            text: #"""
# The three-way handshake

title: The three-way handshake
title.zh: 三次握手
scenario: handshake
seed: 1
profile: textbook
isn: symbolic

## when server enters LISTEN
[en]
The server calls `listen()` on port 80. Its socket moves from CLOSED to LISTEN: a *passive open*. Nothing goes on the wire: listening only tells the server's own TCP to expect connection requests.

The link between the two hosts has a round-trip time of 20 ms, so every arrow in the ladder above takes 10 ms to cross.
[zh]
服务器在 80 端口调用 `listen()`。它的套接字从 CLOSED 进入 LISTEN，这叫“被动打开”。线路上什么也没有发送：监听只是告诉服务器自己的 TCP 准备接受连接请求。

两台主机之间的往返时间（RTT）是 20 毫秒，所以上方梯形图里的每个箭头要走 10 毫秒。

## at first SYN from client
focus: tcp.flags
quiz: flags
[en]
The client calls `connect()`. Its TCP moves to SYN-SENT and sends a segment with only the SYN flag: "I want to talk; my byte numbering starts here". The sequence number is the client's initial sequence number (ISN), a 32-bit number chosen to be hard to guess. Like a textbook, this lesson calls it x (the server's will be y); press i to see the real numbers, or the numbers relative to each ISN.

The SYN carries no data but counts as one sequence number, so SND.NXT is now x+1. The congestion window shows 2144: before the peer's MSS is known TCP assumes the default 536 bytes, and the initial window is 4 × 536 = 2144 bytes (RFC 3390); the SYN+ACK's `mss 1460` will raise it to 4380. The option `mss 1460` tells the server the largest segment the client wants to receive. A retransmission timer starts: if no answer comes within the RTO (1 s), the SYN is sent again.
[zh]
客户端调用 `connect()`。它的 TCP 进入 SYN-SENT，发出只带 SYN 标志的报文段：“我想通信，我的字节编号从这里开始”。序号是客户端的初始序号（ISN），一个难以猜到的 32 位数。本课像教科书一样把它记作 x（服务器的记作 y）；按 i 可以看真实的数值，或相对于各自 ISN 的数值。

SYN 不带数据，但要占用一个序号，所以 SND.NXT 现在是 x+1。拥塞窗口显示 2144：在知道对方的 MSS 之前，TCP 假定默认的 536 字节，初始窗口是 4 × 536 = 2144 字节（RFC 3390）；SYN+ACK 里的 `mss 1460` 会把它提高到 4380。选项 `mss 1460` 告诉服务器客户端愿意接收的最大报文段。同时启动重传计时器：如果在 RTO（1 秒）内没有回应，就重发 SYN。

## at first SYN+ACK from server
focus: tcp.ack
quiz: flags
[en]
10 ms later the SYN reaches the server. The listening socket creates a new connection in SYN-RECEIVED and answers with SYN+ACK: SYN to announce the server's own ISN, ACK to acknowledge the client's. The acknowledgment number is the client's ISN+1, which means "I have everything up to and including your SYN; next I expect byte 1".

Note that the listener itself stays in LISTEN: it keeps waiting for other clients, exactly as the article says.
[zh]
10 毫秒后 SYN 到达服务器。监听套接字创建一个处于 SYN-RECEIVED 的新连接，并回复 SYN+ACK：SYN 宣布服务器自己的 ISN，ACK 确认客户端的 ISN。确认号是客户端的 ISN+1，意思是“你的 SYN 我收到了，下一个我期待序号 1”。

注意监听套接字本身仍然在 LISTEN：正如文章所说，它继续等待别的客户端。

## when client enters ESTABLISHED
quiz: state
[en]
The SYN+ACK reaches the client after one full round trip (20 ms). It acknowledges the client's SYN, so the client's connection is ESTABLISHED: SND.UNA catches up with SND.NXT and the retransmission timer stops. The client now also knows the server's ISN: RCV.NXT is the server's ISN+1.
[zh]
SYN+ACK 在一个完整往返（20 毫秒）后到达客户端。它确认了客户端的 SYN，所以客户端的连接进入 ESTABLISHED：SND.UNA 追上了 SND.NXT，重传计时器停止。客户端现在也知道了服务器的 ISN：RCV.NXT 等于服务器的 ISN+1。

## at first ACK from client
focus: tcp.ack
[en]
The third segment: a bare ACK that acknowledges the server's SYN (ack=y+1). It carries no SYN, no data, and takes no sequence number. After this the client may send data right away; `onopen` fires on the client at the same instant.
[zh]
第三个报文段：一个单纯的 ACK，确认服务器的 SYN（ack=y+1）。它不带 SYN，也不带数据，不占用序号。此后客户端就可以立即发送数据；客户端的 `onopen` 在同一时刻触发。

## when server enters ESTABLISHED
quiz: state
[en]
The ACK arrives at 30 ms and the server's connection becomes ESTABLISHED. Three segments, and both sides have learned the other's ISN and had their own acknowledged: that is why the handshake needs three messages and not two.
[zh]
ACK 在 30 毫秒到达，服务器的连接进入 ESTABLISHED。三个报文段之后，双方都知道了对方的 ISN，自己的 ISN 也都得到了确认：这就是握手需要三次而不是两次的原因。

## at end
[en]
Only now does `accept()` hand the new connection to the server application. Cost of the handshake: the client waited one RTT (20 ms) before it could send; the server learns of the connection after 1.5 RTT. Every new TCP connection pays this, which is why short HTTP connections are expensive and long-lived sockets are not.
[zh]
直到此时 `accept()` 才把新连接交给服务器应用程序。握手的代价：客户端要等一个 RTT（20 毫秒）才能发送数据；服务器在 1.5 个 RTT 后才得知这个连接。每个新 TCP 连接都要付出这个代价，这就是 HTTP 短连接昂贵而长连接划算的原因。

"""#
        ),
        (
            name: "04-syn-lost.md",
            text: #"""
# A lost SYN

title: A lost SYN and retransmission
title.zh: SYN 丢失与重传
scenario: syn-lost
seed: 1

## at first SYN from client
[en]
In this run the cable between client and server is unplugged for the first 2 seconds. The client sends its SYN at time 0 and starts its retransmission timer with the initial RTO of 1 s (RFC 6298).
[zh]
这次运行中，客户端和服务器之间的网线在最初 2 秒是拔掉的。客户端在 0 时刻发出 SYN，并以 1 秒的初始 RTO（RFC 6298）启动重传计时器。

## at first SYN dropped
[en]
The SYN is lost on the link. Nobody tells the client: on an IP network, loss is silent. The only way the sender finds out is that no answer comes.
[zh]
SYN 在链路上丢失了。没有人通知客户端：在 IP 网络中，丢包是无声无息的。发送方唯一能发现的方式就是：迟迟等不到回应。

## when first retransmission timer fires on client
[en]
1 s later the timer fires. The client is still in SYN-SENT and sends the same SYN again, same sequence number, marked as a retransmission in the trace.
[zh]
1 秒后计时器触发。客户端仍处于 SYN-SENT，再次发送同一个 SYN，序号相同，跟踪中标记为重传。

## at second SYN dropped
[en]
The cable is still out, so the second SYN is lost too. This time the RTO doubles to 2 s: exponential backoff, so that a congested network is not flooded with retries.
[zh]
网线仍然没插上，第二个 SYN 也丢了。这次 RTO 翻倍为 2 秒：这是指数退避，避免向拥塞的网络狂发重试。

## when second retransmission timer fires on client
[en]
At 3 s the timer fires again and the third SYN goes out. The cable came back at 2 s, so this one gets through.
[zh]
3 秒时计时器再次触发，第三个 SYN 发出。网线在 2 秒时已经恢复，所以这一个能够送达。

## at first SYN+ACK from server
quiz: flags
[en]
The server sees only this SYN; it never knew about the lost ones. It answers SYN+ACK as in any handshake.
[zh]
服务器只看到了这一个 SYN，它根本不知道前两个丢失的 SYN。它像平常握手一样回复 SYN+ACK。

## when client enters ESTABLISHED
quiz: state
[en]
The connection is established at 3.02 s instead of 0.02 s. The application saw only a slow `connect()`: TCP hid the loss. With the textbook profile a client retries 5 times (1+2+4+8+16 s) before `connect()` fails with a timeout.
[zh]
连接在 3.02 秒建立，而不是 0.02 秒。应用程序只看到 `connect()` 变慢了：TCP 把丢包隐藏了起来。在教科书配置下，客户端会重试 5 次（1+2+4+8+16 秒），然后 `connect()` 才以超时失败。

"""#
        ),
        (
            name: "05-teardown.md",
            text: #"""
# The four-way teardown

title: The four-way teardown and TIME-WAIT
title.zh: 四次挥手与 TIME-WAIT
scenario: teardown-client-first
seed: 1

## when client calls close
[en]
The connection is established; 100 ms later the client application calls `close()`. TCP connections are closed one direction at a time, which is why it takes four segments (the article's "four-way teardown").
[zh]
连接已经建立；100 毫秒后客户端应用调用 `close()`。TCP 连接是按方向逐个关闭的，所以需要四个报文段（文章中的“四次分手”）。

## at first FIN from client
focus: tcp.flags
quiz: flags
[en]
The client enters FIN-WAIT-1 and sends FIN (with ACK, as every segment after the handshake). FIN means "I have nothing more to send". Like SYN it takes one sequence number.
[zh]
客户端进入 FIN-WAIT-1，发出 FIN（同时带 ACK，握手之后的每个报文段都带 ACK）。FIN 的意思是“我没有更多数据要发了”。和 SYN 一样，它占用一个序号。

## when server enters CLOSE-WAIT
quiz: state
[en]
The server acknowledges the FIN (ack 2) and enters CLOSE-WAIT: the client's direction is closed, but the server may still send. Its application is told `onend` (read returns 0), and here it closes at once.

RCV.WND drops from 65535 to 65534. The FIN took one sequence number, so RCV.NXT moved on by one, while the right edge of the window (RCV.NXT + RCV.WND) stays where it was: TCP never moves that edge back (RFC 9293 §3.8.6), so one number less is left.
[zh]
服务器确认这个 FIN（ack 2），进入 CLOSE-WAIT：客户端方向已经关闭，但服务器仍然可以发送。它的应用收到 `onend`（read 返回 0），这里它立即关闭。

RCV.WND 从 65535 降到 65534。FIN 占用了一个序号，所以 RCV.NXT 前进了一，而窗口的右边界（RCV.NXT + RCV.WND）保持不动：TCP 从不把这个边界往回移（RFC 9293 §3.8.6），于是可用的序号少了一个。

## at first FIN from server
quiz: flags
[en]
The server's `close()` sends its own FIN and moves it to LAST-ACK: waiting for the last acknowledgment. Here the ACK and the FIN leave at the same instant but as two segments.
[zh]
服务器的 `close()` 发出它自己的 FIN，进入 LAST-ACK：等待最后一个确认。这里 ACK 和 FIN 在同一时刻发出，但是两个独立的报文段。

## when client enters FIN-WAIT-2
[en]
The client receives the ACK of its FIN: FIN-WAIT-2, its half of the connection is done. The server's FIN arrives in the same instant.
[zh]
客户端收到了对其 FIN 的确认，进入 FIN-WAIT-2，它这一半连接完成了。服务器的 FIN 在同一时刻到达。

## when client enters TIME-WAIT
quiz: state
[en]
The client acknowledges the server's FIN and enters TIME-WAIT. The side that closes first always ends here.
[zh]
客户端确认服务器的 FIN，进入 TIME-WAIT。先关闭的一方总是最后停在这里。

## when server enters CLOSED
[en]
The last ACK reaches the server, which is now CLOSED and forgets the connection. The client cannot: if that ACK had been lost, the server would resend its FIN, and the client must still be there to answer.
[zh]
最后一个 ACK 到达服务器，服务器进入 CLOSED 并删除连接。客户端却不能这样：如果这个 ACK 丢了，服务器会重发 FIN，客户端必须还在才能回应。

## when time-wait timer fires on client
[en]
TIME-WAIT lasts 2×MSL (maximum segment lifetime; 30 s here, so 60 s). It also keeps old duplicate segments of this connection from being mistaken for a new connection with the same ports. Only at 60.14 s is the client CLOSED: many short connections leave a pile of TIME-WAIT sockets behind.
[zh]
TIME-WAIT 持续 2×MSL（报文最大生存时间，这里是 30 秒，共 60 秒）。它还防止这个连接的旧重复报文被误当作使用相同端口的新连接。直到 60.14 秒客户端才进入 CLOSED：大量短连接会留下成堆的 TIME-WAIT 套接字。

"""#
        ),
        (
            name: "06-half-close.md",
            text: #"""
# Half-close and simultaneous close

title: Half-close and simultaneous close
title.zh: 半关闭与同时关闭
scenario: inline
```scenario
scenario half-and-simultaneous-close "half-close on port 80, then a simultaneous close on port 81"
seed 1
profile textbook
hosts client server
link rtt 20ms
at 0 server listen 80
at 0 server listen 81
at 0 client connect server:80
at 20ms client send 1000
at 70ms client shutdown
at 100ms server send 5000
at 100ms server close
at 300ms client close
at 1s client connect server:81
at 1200ms client close
at 1200ms server close
```

## when client calls shutdown
[en]
The client has sent 1000 bytes and now calls `shutdown(SHUT_WR)`: "I am done sending, but I still want to read". This is a half-close; `close()` would give up both directions.
[zh]
客户端已经发送了 1000 字节，现在调用 `shutdown(SHUT_WR)`：“我发完了，但我还要读”。这是半关闭；而 `close()` 会同时放弃两个方向。

## at first FIN from client
quiz: flags
[en]
A half-close looks exactly like the start of a teardown on the wire: a FIN. The client enters FIN-WAIT-1.
[zh]
在线路上，半关闭和挥手的开始看起来完全一样：一个 FIN。客户端进入 FIN-WAIT-1。

## when server enters CLOSE-WAIT
[en]
The server acknowledges the FIN and enters CLOSE-WAIT. Its application gets `onend`: the end of the request, like a request whose end is marked by closing the write side. It will answer with 5000 bytes and then call `close()`.
[zh]
服务器确认 FIN，进入 CLOSE-WAIT。它的应用收到 `onend`：请求结束了，就像用关闭写方向来标记结束的请求。它将回复 5000 字节，然后调用 `close()`。

## when client enters FIN-WAIT-2
[en]
The ACK of the client's FIN arrives: FIN-WAIT-2. In this state the client can receive data for as long as the server keeps sending.
[zh]
对客户端 FIN 的确认到达：FIN-WAIT-2。在这个状态下，只要服务器还在发送，客户端就能一直接收数据。

## at first data from server
[en]
Data flows from server to client after the client's FIN: the server's direction is still open. The `close()` right after `send()` does not throw the queued bytes away; the FIN will follow the last byte.
[zh]
客户端发出 FIN 之后，数据仍从服务器流向客户端：服务器方向依然开着。紧跟在 `send()` 之后的 `close()` 不会丢弃已排队的字节；FIN 会跟在最后一个字节后面。

## at first FIN from server
focus: tcp.flags
[en]
The last 620 bytes and the server's FIN travel in one segment (flags FIN+PSH+ACK): a FIN can ride on data.
[zh]
最后 620 字节和服务器的 FIN 在同一个报文段里（标志 FIN+PSH+ACK）：FIN 可以搭数据的便车。

## when client enters TIME-WAIT
quiz: state
[en]
The client acknowledges everything (5000 bytes + FIN) and enters TIME-WAIT; the server goes from LAST-ACK to CLOSED when that ACK arrives.
[zh]
客户端确认了全部内容（5000 字节加 FIN），进入 TIME-WAIT；服务器收到这个 ACK 后从 LAST-ACK 进入 CLOSED。

## when second client calls connect
[en]
Second act, on port 81: a fresh connection (the client gets a new port, 49153, since 49152 is still in TIME-WAIT). Both applications will call `close()` at exactly 1.200 s.
[zh]
第二幕，在 81 端口：一条新连接（客户端换了新端口 49153，因为 49152 还处在 TIME-WAIT）。双方应用都会在 1.200 秒整调用 `close()`。

## when server enters CLOSING
quiz: state
[en]
Both sides sent a FIN at the same instant, so each is in FIN-WAIT-1 when the other's FIN arrives. That FIN is not an ACK of its own FIN, so neither can go to FIN-WAIT-2: RFC 9293 sends both to CLOSING, the rarest state of the diagram.
[zh]
双方在同一时刻发出 FIN，所以对方的 FIN 到达时，各自都处在 FIN-WAIT-1。这个 FIN 并不确认自己的 FIN，所以谁也进不了 FIN-WAIT-2：RFC 9293 让双方都进入 CLOSING，这是状态图里最少见的状态。

## when client enters CLOSING
[en]
The client does the same at the same moment. Each side acknowledges the other's FIN; those ACKs are crossing too.
[zh]
客户端在同一时刻做了同样的事。双方各自确认对方的 FIN；这两个 ACK 也在途中交错。

## when server enters TIME-WAIT
[en]
When the ACK of its own FIN arrives, each side moves from CLOSING to TIME-WAIT. Unlike the ordinary teardown, *both* ends wait 2×MSL here, because both closed actively.
[zh]
收到对自己 FIN 的确认后，双方各自从 CLOSING 进入 TIME-WAIT。和普通的四次挥手不同，这里*两端*都要等待 2×MSL，因为双方都是主动关闭的。

## at end
[en]
Half-close let one direction finish while the other kept talking; simultaneous close let both finish at once. In both cases the FIN means only "I will send no more": what the other direction does is its own business. Compare with `stacklab run half-close` and `stacklab run simultaneous-close`.
[zh]
半关闭让一个方向结束而另一个方向继续交谈；同时关闭让两个方向一起结束。两种情况下 FIN 的意思都只是“我不再发送了”：另一个方向怎么做是它自己的事。可以对照 `stacklab run half-close` 和 `stacklab run simultaneous-close`。

"""#
        ),
        (
            name: "07-tcp-vs-udp.md",
            text: #"""
# TCP and UDP on a lossy link

title: TCP and UDP on a lossy link
title.zh: 有丢包的链路上的 TCP 与 UDP
scenario: tcp-vs-udp
seed: 4

## at first datagram from client
focus: udp.length
[en]
The link drops 10% of packets. The client sends 20 messages of 100 bytes over UDP, 5 ms apart. UDP sets up nothing first: no handshake, no sequence numbers, no acknowledgments. Its header is 8 bytes: two ports, a length (108) and a checksum.
[zh]
这条链路丢弃 10% 的数据包。客户端用 UDP 每隔 5 毫秒发送一条 100 字节的消息，共 20 条。UDP 事先什么都不建立：没有握手、没有序号、没有确认。它的首部只有 8 字节：两个端口、长度（108）和校验和。

## at first data from client
[en]
Meanwhile the same client sends 2000 bytes over a TCP connection on the same link. The data is numbered by bytes and every segment will be acknowledged. This first segment carries 1460 bytes, the MSS the server announced.
[zh]
与此同时，同一个客户端在同一条链路上通过 TCP 连接发送 2000 字节。数据按字节编号，每个报文段都会被确认。第一个报文段装了 1460 字节，正是服务器通告的 MSS。

## at first data dropped
[en]
The link loses this very segment: 1460 bytes of data. The client does not know yet, but its retransmission timer is running and the bytes stay in its send buffer until an acknowledgment covers them. The other 540 bytes wait too: Nagle's algorithm (RFC 896) holds a small segment back while data is unacknowledged.
[zh]
链路丢掉的正是这个报文段：1460 字节的数据。客户端还不知道，但它的重传计时器在运行，这些字节会一直留在发送缓冲区里，直到被确认。剩下的 540 字节也在等：Nagle 算法（RFC 896）在有数据未被确认时会扣住小报文段。

## at first datagram dropped
[en]
A datagram is lost. Nobody notices and nobody sends it again: UDP is connectionless and unreliable, as the article says. If the application cares, it must detect and repair the loss itself.
[zh]
一个数据报丢了。没有人发现，也没有人重发：正如文章所说，UDP 是无连接、不可靠的。如果应用在意，就得自己检测并弥补丢失。

## when first retransmission timer fires on client
[en]
One RTO (1 s) passes with no acknowledgment; the timer fires and the segment goes again. That is the 1 s stall: nothing followed the lost segment that could have produced three duplicate ACKs for a fast retransmit, so only the timer could tell.
[zh]
一个 RTO（1 秒）过去了，没有确认；计时器触发，报文段被重发。这就是那 1 秒的停顿：丢失的报文段后面没有别的报文段，产生不了三个重复 ACK 来触发快速重传，只能靠计时器发现。

## at first ACK from server
focus: tcp.ack
[en]
The copy arrives. The server acknowledges every byte up to 1460 (ack=1461) and its application receives the 1460 bytes in order. Now nothing is unacknowledged, so Nagle lets the last 540 bytes go, together with the client's FIN.
[zh]
副本到达了。服务器确认到第 1460 字节为止的所有数据（ack=1461），它的应用按顺序收到这 1460 字节。现在没有未确认的数据了，Nagle 算法放行最后 540 字节，和客户端的 FIN 一起发出。

## when client enters TIME-WAIT
quiz: state
[en]
The server's ACK of that FIN is lost too, but it does not matter: the server's own FIN,ACK carries the same acknowledgment, so the client goes from FIN-WAIT-1 straight to TIME-WAIT.
[zh]
服务器对这个 FIN 的 ACK 也丢了，但没有关系：服务器自己的 FIN,ACK 带着同样的确认号，所以客户端从 FIN-WAIT-1 直接进入 TIME-WAIT。

## at end
[en]
The score: UDP delivered 18 of its 20 datagrams, fast and without fuss; 2 are simply gone. TCP delivered all 2000 bytes, intact and in order, but paid with a retransmission and a second of waiting. Neither is “better”: a voice call prefers UDP's timeliness, a file transfer needs TCP's reliability.
[zh]
结果：UDP 送达了 20 个数据报中的 18 个，又快又省事；另外 2 个就这么没了。TCP 把 2000 字节全部完整、按序送达，但代价是一次重传和一秒的等待。两者没有绝对的优劣：语音通话更看重 UDP 的及时，文件传输需要 TCP 的可靠。

"""#
        ),
        (
            name: "08-reliability.md",
            text: #"""
# Reliability

title: Reliability: windows, loss, fast retransmit, cwnd
title.zh: 可靠传输：滑动窗口、丢包、快速重传与拥塞窗口
scenario: bulk-transfer
bytes: 40000
loss: 0.03
seed: 1

## at first data from client
[en]
The client sends 40000 bytes over a link that loses 3% of packets. It may have several segments in flight before any acknowledgment returns: this is the sliding window. How many is limited by two windows: the receiver's (SND.WND, advertised in every ACK) and the congestion window cwnd, which starts at 4380 bytes (3 segments of 1460).
[zh]
客户端通过一条丢包率 3% 的链路发送 40000 字节。在任何确认返回之前，它可以有多个报文段在途：这就是滑动窗口。在途数量受两个窗口限制：接收方窗口（SND.WND，每个 ACK 都会通告）和拥塞窗口 cwnd，后者从 4380 字节（3 个 1460 字节的报文段）开始。

## when cwnd change on client for slow start
[en]
The first ACK arrives one RTT later and cwnd grows by one segment. In slow start every ACK adds one MSS, so the window doubles every round trip. SND.UNA moves forward as bytes are acknowledged: the left edge of the window slides.
[zh]
第一个 ACK 在一个 RTT 后到达，cwnd 增加一个报文段。慢启动阶段每个 ACK 增加一个 MSS，所以窗口每个往返翻一倍。随着字节被确认，SND.UNA 向前移动：窗口的左边沿在滑动。

## at first data dropped
focus: tcp.seq
[en]
A data segment (bytes 23361–24820) is lost. The segments behind it still arrive, but the receiver cannot deliver them to the application: there is a hole. It keeps them aside and repeats its acknowledgment of 23361 with every segment that arrives: duplicate ACKs.
[zh]
一个数据段（字节 23361–24820）丢了。后面的报文段仍然到达，但接收方不能把它们交给应用：中间有个缺口。它先把它们存起来，每收到一个报文段就重复确认 23361：这就是重复 ACK。

## when cwnd change on client for fast retransmit
[en]
After 3 duplicate ACKs the sender concludes the segment was lost (not just late) and resends it at once, without waiting for the 1 s timer: fast retransmit. It also halves its estimate of the network's capacity: ssthresh becomes about half of what was in flight (8030 bytes).
[zh]
收到 3 个重复 ACK 后，发送方判断这个报文段是丢了（而不只是迟到），立即重发，不必等 1 秒的计时器：这就是快速重传。它同时把对网络容量的估计减半：ssthresh 变为在途数据量的一半左右（8030 字节）。

## at first data retransmitted
focus: tcp.seq
[en]
The retransmitted segment carries exactly the lost bytes, same sequence numbers. TCP numbers bytes, so a retransmission is simply "these bytes again".
[zh]
重传的报文段携带的正是丢失的那些字节，序号完全相同。TCP 给字节编号，所以重传就是“把这些字节再发一遍”。

## when cwnd change on client for fast recovery
[en]
During fast recovery each further duplicate ACK means another segment has left the network, so cwnd is inflated by one MSS and new data can keep flowing while the hole is repaired.
[zh]
在快速恢复期间，每个新的重复 ACK 都意味着又有一个报文段离开了网络，所以 cwnd 增加一个 MSS，在修补缺口的同时新数据可以继续发送。

## at end
[en]
All 40000 bytes arrived intact and in order despite the losses: sequence numbers, acknowledgments, retransmission and windows together make TCP reliable. The congestion window is how TCP shares the network: it grows while things go well and shrinks when loss signals congestion.
[zh]
尽管有丢包，40000 字节还是完整、按序地到达了：序号、确认、重传和窗口共同让 TCP 变得可靠。拥塞窗口则是 TCP 与他人分享网络的方式：一切顺利时增长，丢包暗示拥塞时缩小。

"""#
        ),
        (
            name: "09-breaking-tcp.md",
            text: #"""
# Breaking TCP on purpose

title: Breaking TCP on purpose, and the invariants that catch it
title.zh: 故意破坏 TCP：消融实验与捕捉它们的不变式
scenario: teardown-client-first
ablation: no-time-wait
seed: 1

## when client calls close
[en]
Every rule in TCP is there for a reason. StackLab can switch a rule off (an *ablation*) and `stacklab check` runs property tests with invariants that must catch it. This run removes TIME-WAIT: the client that closes first goes straight to CLOSED.
[zh]
TCP 的每条规则都有其道理。StackLab 可以关掉某条规则（称为“消融”），`stacklab check` 会用不变式做性质测试，必须能捕捉到它。这次运行去掉了 TIME-WAIT：先关闭的客户端直接进入 CLOSED。

## at first FIN from client
[en]
The teardown starts as usual: FIN from the client, FIN-WAIT-1.
[zh]
挥手照常开始：客户端发出 FIN，进入 FIN-WAIT-1。

## when client enters FIN-WAIT-2
[en]
The server acknowledges the FIN, and its own FIN arrives at the same instant.
[zh]
服务器确认了 FIN，它自己的 FIN 也在同一时刻到达。

## when client enters CLOSED
quiz: state
[en]
With the ablation, the client acknowledges the server's FIN and is immediately CLOSED, skipping the 60 s of TIME-WAIT. If that last ACK were lost, the server's retransmitted FIN would meet no connection and get a RST; and a new connection reusing the same ports could receive old duplicates. The invariant `time-wait` ("only the active closer enters TIME-WAIT, and it stays exactly 2×MSL", RFC 9293 §3.6) catches it: try `stacklab check --ablate no-time-wait`.
[zh]
有了这个消融，客户端确认服务器的 FIN 后立即进入 CLOSED，跳过了 60 秒的 TIME-WAIT。如果最后那个 ACK 丢了，服务器重发的 FIN 将找不到连接而收到 RST；而复用相同端口的新连接可能收到旧的重复报文。不变式 `time-wait`（“只有主动关闭方进入 TIME-WAIT，并且恰好停留 2×MSL”，RFC 9293 §3.6）能捕捉到它：试试 `stacklab check --ablate no-time-wait`。

## at end
[en]
The other ablations, and the invariant of `stacklab check --list` that catches each (run `stacklab check --ablate NAME` to see the shrunk counterexample):
- no-retransmission: a lost segment is never resent; `reliable-delivery` fails on a lossy link.
- ack-off-by-one: ACK = RCV.NXT+1 acknowledges a byte never sent; `ack-numbers` fails.
- ignore-receive-window: the sender overruns the receiver's buffer; `flight-within-window` fails.
- accept-out-of-window: old or forged segments are accepted without the ACK RFC 9293 asks for; `unacceptable-segment-acked` fails.
- zero-isn: every connection starts at 0, so old segments fit new connections and are easy to forge; `isn-distinct` fails.
- no-fast-retransmit: loss is repaired only by the timer and throughput under loss drops; `fast-retransmit` fails.
- sack-ignored: the linux profile's sender ignores the SACK blocks it receives and repairs one hole per round trip (NewReno), sending new data while a hole it was told about waits; `sack-lost-first` fails.
- checksum-not-verified: corrupted bytes reach the application; `checksum-drop` fails.
[zh]
其他消融，以及 `stacklab check --list` 中捕捉它们的不变式（运行 `stacklab check --ablate 名称` 可以看到收缩后的反例）：
- no-retransmission：丢失的报文段永不重发；在有丢包的链路上 `reliable-delivery` 失败。
- ack-off-by-one：ACK = RCV.NXT+1，确认了一个从未发送的字节；`ack-numbers` 失败。
- ignore-receive-window：发送方淹没接收方的缓冲区；`flight-within-window` 失败。
- accept-out-of-window：旧的或伪造的报文段被接受，而没有按 RFC 9293 回一个 ACK；`unacceptable-segment-acked` 失败。
- zero-isn：每个连接都从 0 开始，旧报文能混入新连接，也容易被伪造；`isn-distinct` 失败。
- no-fast-retransmit：只能靠计时器修复丢包，有丢包时吞吐量下降；`fast-retransmit` 失败。
- sack-ignored：linux 配置的发送方忽略收到的 SACK 块，每个往返只修复一个空洞（NewReno），在已知丢失的空洞重传之前就发送新数据；`sack-lost-first` 失败。
- checksum-not-verified：损坏的字节被交给应用；`checksum-drop` 失败。

"""#
        ),
        (
            name: "10-http-connections.md",
            text: #"""
# HTTP: short and persistent connections

title: HTTP: short and persistent connections
title.zh: HTTP：短连接与持久连接
scenario: inline
seed: 1

```scenario
scenario http-short-vs-persistent "three pages over HTTP/1.0, then three over HTTP/1.1"
hosts server old new
at 0 server serve http
at 0 old http server:80 get /index.html count 3 version 1.0
at 1s new http server:80 get /index.html count 3
```

## when old calls connect
[en]
The source article calls HTTP a *short connection*: the client asks, the server answers, and the connection is released. Here a web server and two clients fetch the same page three times each. `old` speaks HTTP/1.0, which opens a new TCP connection for every request; `new` (from 1 s) speaks HTTP/1.1. The round-trip time (RTT) is 20 ms.

The HTTP/1.0 client wants its first page, so it calls `connect()`: before a single byte of HTTP can travel, TCP must shake hands.
[zh]
原文把 HTTP 称为*短连接*：客户端请求，服务器响应，然后释放连接。这里有一台 Web 服务器和两个客户端，每个客户端都把同一个页面取三次。`old` 使用 HTTP/1.0，每个请求都要新建一条 TCP 连接；`new`（从 1 秒开始）使用 HTTP/1.1。往返时间（RTT）是 20 毫秒。

HTTP/1.0 客户端要取第一个页面，于是调用 `connect()`：在任何 HTTP 字节出发之前，TCP 必须先握手。

## at first SYN from old
quiz: flags
[en]
The first segment of every connection is a SYN. The handshake costs one RTT (SYN out, SYN+ACK back) before the client may send its request.
[zh]
每条连接的第一个报文段都是 SYN。握手要花一个 RTT（SYN 发出，SYN+ACK 返回），客户端才能发送请求。

## when old app http-request sent
[en]
At 20 ms the handshake is done and the client writes its request: `GET /index.html HTTP/1.0` and three header fields, 81 bytes in one segment. An HTTP/1.0 request without `Connection: keep-alive` says "close after answering" (RFC 9112 §9.3).
[zh]
20 毫秒时握手完成，客户端写出请求：`GET /index.html HTTP/1.0` 加三个首部字段，共 81 字节，装在一个报文段里。没有 `Connection: keep-alive` 的 HTTP/1.0 请求表示“回答完就关闭”（RFC 9112 §9.3）。

## when server app http-response sent
[en]
The request reaches the server at 30 ms and it answers at once: status line, header fields (one of them `Connection: close`) and the 336-byte page, 457 bytes. Then the server calls `close()` itself.
[zh]
请求在 30 毫秒到达服务器，服务器立即回答：状态行、首部字段（其中一个是 `Connection: close`）和 336 字节的页面，共 457 字节。然后服务器自己调用 `close()`。

## at first FIN from server
quiz: flags
[en]
Right behind the response goes the server's FIN: the server closes first. Remember the teardown lesson: whoever closes first ends up in TIME-WAIT.
[zh]
紧跟在响应后面的是服务器的 FIN：服务器先关闭。回想四次挥手那一课：先关闭的一方最后要进入 TIME-WAIT。

## when old app http-response received
[en]
The page arrives at 40 ms: one request cost two RTTs, one for the handshake and one for the request and its answer. The client, still wanting two more pages, calls `connect()` again at once, for a new connection with a new port, and then closes the old one after the server's FIN.
[zh]
页面在 40 毫秒到达：一个请求花了两个 RTT，一个用于握手，一个用于请求和应答。客户端还要两个页面，于是立即再次调用 `connect()`，用新端口建立新连接，然后在收到服务器的 FIN 之后关闭旧连接。

## when server enters TIME-WAIT
quiz: state
[en]
The client's FIN reaches the server at 50 ms, and the server, the side that closed first, enters TIME-WAIT for 2×MSL (60 s here). The server holds the TIME-WAIT, not the client.
[zh]
客户端的 FIN 在 50 毫秒到达服务器，先关闭的服务器进入 TIME-WAIT，持续 2×MSL（这里是 60 秒）。持有 TIME-WAIT 的是服务器，而不是客户端。

## when third server enters TIME-WAIT
[en]
Three pages, three handshakes, three TIME-WAITs, all on the server, done at 120 ms (three times two RTTs). A busy HTTP/1.0 site answering 1,000 requests a second keeps about 60,000 connections in TIME-WAIT: that is why servers of short connections pile them up.
[zh]
三个页面，三次握手，三个 TIME-WAIT，全在服务器上，120 毫秒完成（三乘以两个 RTT）。一个每秒回答 1000 个请求的繁忙 HTTP/1.0 网站，会有大约 60000 条连接处于 TIME-WAIT：这就是短连接服务器堆积 TIME-WAIT 的原因。

## when new app http-request sent
[en]
At 1 s the HTTP/1.1 client starts. It too must shake hands once, and its first request goes out at 1.02 s. HTTP/1.1 connections persist unless someone says `Connection: close`.
[zh]
1 秒时 HTTP/1.1 客户端开始。它也要先握手一次，第一个请求在 1.02 秒发出。HTTP/1.1 的连接默认保持，除非有一方说 `Connection: close`。

## when second new app http-request sent
[en]
The first answer arrived at 1.04 s, and the second request leaves in the same instant on the same connection: no SYN, no new port, no FIN. Each further page costs one RTT.
[zh]
第一个应答在 1.04 秒到达，第二个请求在同一时刻从同一条连接发出：没有 SYN，没有新端口，也没有 FIN。之后每个页面只花一个 RTT。

## when last new app http-response received
[en]
The third page arrives at 1.08 s: three pages in four RTTs (80 ms) instead of six (120 ms), over one connection. In general N requests cost 1 + N RTTs instead of 2N. Compare them with `stacklab compare http-short http-keepalive --requests 100`.
[zh]
第三个页面在 1.08 秒到达：一条连接，四个 RTT（80 毫秒）取完三个页面，而不是六个 RTT（120 毫秒）。一般地，N 个请求花 1 + N 个 RTT，而不是 2N 个。可以用 `stacklab compare http-short http-keepalive --requests 100` 比较。

## when server app http-idle-close
[en]
The client keeps the connection open, as a browser does, in case it needs another page. The server will not keep an idle connection forever: after 5 s of silence (its idle timeout) it closes it.
[zh]
客户端像浏览器一样保持连接打开，以防还要别的页面。服务器不会永远保留空闲连接：沉默 5 秒（空闲超时）之后，它把连接关掉。

## when fourth server enters TIME-WAIT
quiz: state
[en]
Again the server closed first, so the server holds the TIME-WAIT: but one for three pages instead of one per page. Persistent connections save handshakes, round trips and TIME-WAITs.
[zh]
服务器又一次先关闭，所以 TIME-WAIT 还是在服务器上：但三个页面只有一个，而不是每个页面一个。持久连接节省了握手、往返时间和 TIME-WAIT。

"""#
        ),
        (
            name: "11-dead-peer.md",
            text: #"""
# Heartbeats and the dead peer

title: Heartbeats and the dead peer
title.zh: 心跳与失联的对端
scenario: dead-peer
seed: 1

## when hb-client app ping sent
[en]
A socket connection is a *long connection*: once open, neither side closes it. The article warns that it can still break, and that a connection with no traffic must send *heartbeat messages*. Here three clients hold long connections to one server: `hb-client` sends heartbeats, `ka-client` turns on TCP keepalive, `plain-client` does neither.

Right after connecting, `hb-client` sends its first PING: a 13-byte frame (type, 4-byte length, 8-byte sequence number). It will send one every second (T = 1 s).
[zh]
套接字连接是*长连接*：一旦建立，双方都不会主动断开。原文提醒，它仍然可能断掉，没有数据传输时必须发送*心跳消息*。这里三个客户端和同一台服务器保持长连接：`hb-client` 发心跳，`ka-client` 打开 TCP keepalive，`plain-client` 两样都不做。

连接一建立，`hb-client` 就发出第一个 PING：一个 13 字节的帧（类型、4 字节长度、8 字节序号）。之后每秒发一个（T = 1 秒）。

## when ka-client calls keepalive
[en]
`ka-client` calls `setsockopt(SO_KEEPALIVE)` with Linux's defaults: probe after 7200 s without hearing from the peer, then every 75 s, give up after 9 unanswered probes. Keepalive is TCP's own heartbeat (RFC 1122 §4.2.3.6), off unless an application asks for it.
[zh]
`ka-client` 用 Linux 的默认值调用 `setsockopt(SO_KEEPALIVE)`：7200 秒没收到对端消息后开始探测，之后每 75 秒一次，9 次探测没有回应就放弃。keepalive 是 TCP 自己的心跳（RFC 1122 §4.2.3.6），除非应用要求，否则默认关闭。

## when server app pong sent
[en]
The server answers every PING with a PONG that echoes its sequence number. Any frame from the peer is a sign of life.
[zh]
服务器对每个 PING 回一个 PONG，带回同样的序号。对端发来的任何帧都是它还活着的证据。

## at first segment dropped
quiz: flags
[en]
At 10 s the cable is pulled out. No FIN and no RST can tell anyone: the wire is simply silent. The PING `hb-client` sends at 10.02 s is lost on the dead link.
[zh]
10 秒时网线被拔掉。没有 FIN，也没有 RST 能通知任何人：线路只是安静了。`hb-client` 在 10.02 秒发出的 PING 丢在断开的线路上。

## when retransmission timer fires on hb-client
[en]
TCP notices that its PING was not acknowledged and sends it again after the retransmission timeout (1 s). But TCP retries for many minutes before it gives up, and a connection with nothing to send would never retry at all.
[zh]
TCP 发现 PING 没有被确认，在重传超时（1 秒）后重发。但 TCP 要重试很多分钟才会放弃，而一条没有数据要发送的连接根本不会重试。

## when hb-client app peer-dead
[en]
At 13.02 s the heartbeat gives up. The last frame heard was the PONG at 9.04 s; the rule is "dead at the first tick at least k·T after the last sign of life", with k = 3 missed heartbeats: 3.98 s of silence. The dead peer is detected 3 to 4 s after the cable was pulled.
[zh]
13.02 秒时心跳判定失败。最后听到的是 9.04 秒的 PONG；规则是“在最后一次听到对端之后，至少 k·T 的第一个节拍判定死亡”，k = 3 次未收到心跳：沉默了 3.98 秒。拔线后 3 到 4 秒就发现了对端失联。

## when hb-client enters CLOSED
quiz: state
[en]
The application aborts the connection: TCP sends a RST (lost too) and the socket is gone at once. A real client would now reconnect with a backoff; the `heartbeat` scenario shows that.
[zh]
应用中止连接：TCP 发出 RST（同样丢失），套接字立即消失。真实的客户端此时会按退避策略重连；`heartbeat` 场景演示了这一点。

## when keepalive timer fires on ka-client
[en]
Nothing happens for two hours. At 7200.02 s, 7200 s after `ka-client` last heard from the server, its keepalive timer fires and TCP sends a probe: an ACK carrying no data, with a sequence number one below the next to send, which a live peer must answer.
[zh]
两个小时什么也没发生。7200.02 秒时，距 `ka-client` 最后一次收到服务器消息正好 7200 秒，keepalive 计时器到期，TCP 发出探测：一个不带数据、序号比下一个要发的序号小 1 的 ACK，活着的对端必须回应。

## when ka-client enters CLOSED
quiz: state
[en]
Nine probes, 75 s apart, all lost. At 7875.02 s (idle 7200 s + 9 × 75 s after the last sign of life) TCP gives up: the connection is reset and the application gets `onerror` "connection timed out". Detected, but 2 hours and 11 minutes late.
[zh]
九次探测，每次间隔 75 秒，全部丢失。7875.02 秒时（最后一次收到消息之后 7200 秒空闲 + 9 × 75 秒），TCP 放弃：连接被重置，应用收到 `onerror`“连接超时”。发现了，但晚了 2 小时 11 分钟。

## at end
[en]
The run stops at its 3 h horizon and says so. `plain-client` still believes in its connection, and the server believes in all three of its own: half-open connections that nobody will ever clean up. Heartbeats notice in k·T, keepalive after idle + probes × interval, and with neither, never.
[zh]
运行在 3 小时的时限处停止，并明确说出来。`plain-client` 仍然以为连接还在，服务器也以为它的三条连接都在：这些半开连接永远不会有人清理。心跳在 k·T 内发现，keepalive 在空闲时间 + 探测次数 × 间隔之后发现，两者都没有就永远发现不了。

"""#
        ),
        (
            name: "12-inside-http.md",
            text: #"""
# Inside an HTTP message

title: Inside an HTTP message
title.zh: HTTP 报文的内部
scenario: inline
seed: 1

```scenario
scenario inside-http "one GET of /hello.txt over HTTP/1.1"
hosts client server
at 0 server serve http
at 0 client http server:80 get /hello.txt
```

## when client app http-request sent
[en]
The article's layers, seen from the inside: the application layer decides *what* to say (HTTP), TCP carries it reliably, IP carries TCP from host to host. The handshake is done, and the client's HTTP code has written its request: 80 bytes of text. To TCP these are just bytes to deliver; it does not know they are HTTP.
[zh]
从内部看原文讲的分层：应用层决定*说什么*（HTTP），TCP 可靠地传送它，IP 把 TCP 从一台主机带到另一台。握手已完成，客户端的 HTTP 代码写出了请求：80 字节的文本。对 TCP 来说这只是要交付的字节，它并不知道这是 HTTP。

## at first data from client
focus: ip.protocol
quiz: flags
[en]
The request travels in one segment, with PSH and ACK set. The outermost layer is IPv4: 20 bytes of header with the two hosts' addresses, and protocol 6, which says "what follows is TCP". The packet is 120 bytes: 20 of IP, 20 of TCP, 80 of HTTP.
[zh]
请求装在一个报文段里，带 PSH 和 ACK 标志。最外层是 IPv4：20 字节的首部，里面有两台主机的地址，以及协议号 6，意思是“后面是 TCP”。整个分组 120 字节：IP 20 字节，TCP 20 字节，HTTP 80 字节。

## at first data from client
focus: tcp.dport
[en]
Inside IP, the TCP header: destination port 80 is how the server's TCP finds the listening web server, and the sequence and acknowledgment numbers keep the bytes in order. Nothing in TCP's 20 bytes mentions HTTP either.
[zh]
IP 里面是 TCP 首部：目的端口 80 让服务器的 TCP 找到正在监听的 Web 服务器，序号和确认号保证字节按顺序到达。TCP 的 20 个字节里同样没有提到 HTTP。

## at first data from client
focus: http.start-line
[en]
After the TCP header begins the HTTP message, plain text. Its first line is the request line: a method (`GET`), a target (`/hello.txt`) and the version (`HTTP/1.1`), ended by CR LF (bytes 0d 0a), as RFC 9112 §3 defines it.
[zh]
TCP 首部之后是 HTTP 报文，纯文本。第一行是请求行：方法（`GET`）、目标（`/hello.txt`）和版本（`HTTP/1.1`），以 CR LF（字节 0d 0a）结尾，这是 RFC 9112 §3 的定义。

## at first data from client
focus: http.field
[en]
Then the header fields, one per line, `name: value`. `Host: server` is required in HTTP/1.1 (one server may host many sites); `User-Agent` and `Accept` describe the client.
[zh]
接着是首部字段，每行一个，格式是 `名字: 值`。HTTP/1.1 要求必须有 `Host: server`（一台服务器可能承载多个网站）；`User-Agent` 和 `Accept` 描述客户端。

## at first data from client
focus: http.headers
[en]
An empty line (just CR LF) ends the header section. A GET carries no body, so the whole request is header: 80 bytes to ask for a 14-byte file.
[zh]
一个空行（只有 CR LF）结束首部部分。GET 不带正文，所以整个请求都是首部：为了要一个 14 字节的文件，发了 80 字节。

## at first data from server
focus: http.start-line
[en]
The answer comes back in one segment too. The status line gives the version, the status code `200` and the reason phrase `OK`.
[zh]
回答同样装在一个报文段里。状态行给出版本、状态码 `200` 和原因短语 `OK`。

## at first data from server
focus: http.field
[en]
Response header fields follow: `Server`, `Content-Type`, and `Content-Length: 14`, which tells the client where the body ends on a connection that stays open (RFC 9112 §6.3). No `Date` field: StackLab's server has no clock, as RFC 9110 §6.6.1 allows.
[zh]
后面是响应首部字段：`Server`、`Content-Type` 和 `Content-Length: 14`，它告诉客户端在一条保持打开的连接上正文到哪里结束（RFC 9112 §6.3）。没有 `Date` 字段：StackLab 的服务器没有时钟，RFC 9110 §6.6.1 允许这样做。

## at first data from server
focus: http.body
[en]
Finally, after the empty line, the body: `Hello, world!` and a newline, 14 bytes. The packet is 156 bytes: 40 of IP and TCP headers, 102 of HTTP header, 14 of content.
[zh]
最后，空行之后是正文：`Hello, world!` 加一个换行，14 字节。整个分组 156 字节：IP 和 TCP 首部 40 字节，HTTP 首部 102 字节，内容 14 字节。

## when client app http-response received
[en]
The client's HTTP code reads the bytes TCP delivered and finds one complete response, 40 ms after it asked. For this small file, headers were 262 of the 276 bytes of the two data packets: that is the article's complaint about HTTP polling ("the header is long, the data may be small"), and why a long connection with tiny frames is cheaper for chat.
[zh]
客户端的 HTTP 代码读出 TCP 交付的字节，找到一个完整的响应，距发出请求 40 毫秒。对这个小文件来说，两个数据分组的 276 字节里有 262 字节是首部：这正是原文对 HTTP 轮询的批评（“首部很长，数据可能很少”），也是聊天应用使用小帧长连接更省的原因。

"""#
        ),
        (
            name: "13-polling-push.md",
            text: #"""
# Polling, long polling and push

title: Polling, long polling and push
title.zh: 轮询、长轮询与推送
scenario: inline
seed: 1

```scenario
scenario chat-three-ways "the same three chat messages by polling, long polling and WebSocket push"
hosts server poller long-poller ws-reader
link rtt 100ms
at 0 server serve chat messages 3 every 2s
at 0 poller poll server:80 every 1s count 3
at 0 long-poller long-poll server:80 count 3
at 0 ws-reader websocket server:80 count 3
```

## when poller enters ESTABLISHED
quiz: state
[en]
The article's question: how does a new instant message reach a phone? The message arrives at the server whenever someone writes it; the phone cannot know when. Here a chat server receives three messages from other people (ana, ben) at random times, and three readers want them, each its own way: `poller` asks every second (HTTP polling), `long-poller` asks and lets the server wait with the answer (long polling, "comet"), `ws-reader` opens a WebSocket and lets the server push. The round-trip time is 100 ms, so one way takes 50 ms.

All three start the same way: `connect()` on a socket, and TCP's handshake. After one RTT (100 ms) the poller's connection is established.
[zh]
原文的问题：一条新的即时消息怎样到达手机？消息在有人写下它的时候到达服务器，手机无从知道是什么时候。这里一台聊天服务器在随机时刻收到别人（ana、ben）发来的三条消息，三个读者想要它们，各用各的办法：`poller` 每秒问一次（HTTP 轮询），`long-poller` 发出请求后让服务器拿着答复等（长轮询），`ws-reader` 打开一个 WebSocket，让服务器推送。往返时间是 100 毫秒，所以单程 50 毫秒。

三者的开头一模一样：在套接字上调用 `connect()`，然后是 TCP 的握手。一个 RTT（100 毫秒）后，轮询者的连接建立了。

## when poller app http-request sent
[en]
Polling: `GET /poll?since=0`, "anything from message 0 on?". The request is 96 bytes of HTTP header, and it will be sent again every second whether or not anything happened.
[zh]
轮询：`GET /poll?since=0`，意思是“从第 0 条消息起，有新的吗？”。请求是 96 字节的 HTTP 首部，而且不管有没有新消息，每秒都要再发一次。

## when long-poller app http-request sent
[en]
Long polling: the same kind of request, `GET /longpoll?since=0`, but the server's contract is different: if there is nothing new, it does not answer yet. It holds the request open (here for up to 30 s) and answers the moment a message arrives.
[zh]
长轮询：同样的请求，`GET /longpoll?since=0`，但服务器的约定不同：没有新消息时，它先不回答。它把请求挂起（这里最多 30 秒），消息一到立刻回答。

## when ws-reader app websocket-upgrade sent
[en]
WebSocket: one HTTP request asks to switch protocols (`Upgrade: websocket`); after the server's `101` the same TCP connection carries WebSocket frames both ways, and the server may send whenever it has something. The next lesson looks inside this handshake.
[zh]
WebSocket：一个 HTTP 请求要求切换协议（`Upgrade: websocket`）；服务器回复 `101` 之后，同一条 TCP 连接双向传送 WebSocket 帧，服务器有内容时随时可以发送。下一课会细看这次握手。

## when server app http-response sent
[en]
At 150 ms the server answers the poll: `204 No Content`, 74 bytes of header and nothing else. An empty answer: the poller paid a request and a response to learn that nothing happened. The long poll got no answer at all: the server is holding it.
[zh]
150 毫秒时服务器回答了轮询：`204 No Content`，74 字节的首部，别的什么也没有。一个空的答复：轮询者付出一次请求和一次响应，只得知什么也没发生。长轮询则没有得到任何回答：服务器正拿着它。

## when server app chat-message sent
[en]
At 1.589 s the first message arrives at the server, from ana. The server has two readers waiting on it: the held long poll and the open WebSocket. It answers the long poll with the message (`200`, 118 bytes of header around a 64-byte JSON body) and writes one WebSocket frame (2 bytes of header around the same 62-byte message). The poller is not waiting: its next poll leaves at 2 s.
[zh]
1.589 秒时第一条消息到达服务器，来自 ana。有两个读者在服务器上等着：被挂起的长轮询和打开的 WebSocket。服务器用这条消息回答长轮询（`200`，118 字节的首部包着 64 字节的 JSON 正文），并写出一个 WebSocket 帧（2 字节的帧首部包着同样 62 字节的消息）。轮询者没在等：它的下一次轮询在 2 秒时才出发。

## at 2nd data from server to ws-reader
quiz: flags
[en]
The pushed frame is one TCP segment with PSH and ACK, like any data. TCP does not know or care that it carries a WebSocket frame.
[zh]
推送的帧是一个带 PSH 和 ACK 的 TCP 报文段，和任何数据一样。TCP 不知道、也不关心里面装的是 WebSocket 帧。

## when long-poller app chat-message received
[en]
50 ms later, one way across the link, the long poller has the message: delivery latency 50 ms, the one-way delay and nothing more. At once it sends its next request, `GET /longpoll?since=1`, so that the server again has something to answer the next message with. Long polling costs one request per message, plus one each time the hold runs out.
[zh]
50 毫秒后，也就是穿过链路的单程时间，长轮询者拿到了消息：送达延迟 50 毫秒，就是单程时延，一点不多。它立刻发出下一个请求 `GET /longpoll?since=1`，好让服务器下次来消息时又有请求可回答。长轮询每条消息花一次请求，挂起超时时再多花一次。

## when ws-reader app chat-message received
[en]
`ws-reader` has it at the same moment, 50 ms after it was posted, and has nothing to do in return: the connection stays open and the next message will simply come.
[zh]
`ws-reader` 在同一时刻拿到消息，距发布 50 毫秒，而且不用做任何回应：连接一直开着，下一条消息自然会来。

## when poller app chat-message received
[en]
The poller's next poll left at 2 s and its answer arrived at 2.1 s: delivery latency 511 ms. A message waits for the next poll, on average half the interval I, then travels one way: mean latency ≈ I/2 + one-way delay, here about 0.5 s + 50 ms.
[zh]
轮询者的下一次轮询在 2 秒出发，答复在 2.1 秒到达：送达延迟 511 毫秒。消息要等下一次轮询，平均等半个间隔 I，再走一个单程：平均延迟 ≈ I/2 + 单程时延，这里约 0.5 秒 + 50 毫秒。

## when 2nd poller app chat-message received
[en]
The second message (from ben, at 3.058 s) was unlucky: the poll of 3 s had reached the server 8 ms before it, so it waited for the poll of 4 s. Delivered at 4.1 s: 1.042 s late, close to the worst case I + one-way delay. Push delivered the same message in 50 ms.
[zh]
第二条消息（来自 ben，3.058 秒）运气不好：3 秒那次轮询比它早 8 毫秒到达服务器，于是它只能等 4 秒那次。4.1 秒才送达：晚了 1.042 秒，接近最坏情况 I + 单程时延。推送只用 50 毫秒就送达了同一条消息。

## when ws-reader app websocket-close
[en]
After three messages `ws-reader` closes with code 1000 ("normal closure"), the WebSocket close handshake of the next lesson.
[zh]
收到三条消息后 `ws-reader` 以关闭码 1000（“正常关闭”）关闭，这就是下一课要讲的 WebSocket 关闭握手。

## at end
[en]
Counting from the trace: for three messages the poller made 7 requests, and 4 of the answers were empty; the long poller made 3 requests and got no empty answer; the WebSocket reader made one request, the upgrade, and received three frames with 2 bytes of header each. Mean delivery latency: polling 662 ms, long polling and push 50 ms. Polling's latency falls only if the interval shrinks, and then the empty requests multiply: that is why instant messaging pushes. Try `stacklab compare polling long-polling websocket-chat --messages 100`.
[zh]
从轨迹中数一数：为了三条消息，轮询者发了 7 个请求，其中 4 个答复是空的；长轮询者发了 3 个请求，没有空答复；WebSocket 读者只发了一个请求，也就是升级请求，然后收到三个帧，每个只有 2 字节的帧首部。平均送达延迟：轮询 662 毫秒，长轮询和推送都是 50 毫秒。轮询的延迟只有缩短间隔才能降低，而那样空请求会成倍增加：这就是即时通信采用推送的原因。试试 `stacklab compare polling long-polling websocket-chat --messages 100`。

"""#
        ),
        (
            name: "14-websocket.md",
            text: #"""
# WebSocket: an HTTP handshake, then frames

title: WebSocket: an HTTP handshake, then frames
title.zh: WebSocket：一次 HTTP 握手，然后是帧
scenario: websocket
seed: 1

## when client calls connect
[en]
First, plainly: a *socket* is an API, the calls a program makes to use TCP (`connect`, `send`, `close` and the events they bring). *WebSocket* is a protocol: rules for the bytes two programs exchange, carried by TCP like HTTP is. StackLab names its socket events after the browser's WebSocket events (onopen, onmessage, onerror, onclose), which makes them easy to confuse: here you will see both, one layer apart.

The client is a WebSocket client, like a browser's page. To open a WebSocket it first does what every TCP client does: `connect()` to `server:80`.
[zh]
先说清楚：*套接字*是一个 API，是程序使用 TCP 时调用的函数（`connect`、`send`、`close` 以及它们带来的事件）。*WebSocket* 是一个协议：两个程序之间交换字节的规则，和 HTTP 一样由 TCP 承载。StackLab 的套接字事件借用了浏览器 WebSocket 事件的名字（onopen、onmessage、onerror、onclose），所以两者很容易混淆：这一课你会同时看到它们，相隔一层。

这里的客户端是一个 WebSocket 客户端，就像浏览器里的页面。要打开 WebSocket，它先做每个 TCP 客户端都做的事：`connect()` 到 `server:80`。

## at first SYN from client
quiz: flags
[en]
The three-way handshake, as for any TCP connection: WebSocket adds nothing here.
[zh]
三次握手，和任何 TCP 连接一样：WebSocket 在这里什么也没加。

## at first data from client
focus: http.start-line
[en]
The WebSocket opening handshake is an HTTP/1.1 request (RFC 6455 §4.1): `GET /echo HTTP/1.1`, so that it passes wherever HTTP passes, on port 80.
[zh]
WebSocket 的开场握手是一个 HTTP/1.1 请求（RFC 6455 §4.1）：`GET /echo HTTP/1.1`，这样凡是 HTTP 能通过的地方它都能通过，用的也是 80 端口。

## at first data from client
focus: http.headers
[en]
Its header fields ask for the switch: `Upgrade: websocket` and `Connection: Upgrade`; `Sec-WebSocket-Version: 13`; and `Sec-WebSocket-Key: 2TJhMw0YN68vQoJqydknUA==`, 16 random bytes in Base64, fresh for every connection (here drawn from the run's seed). 172 bytes of header, no body.
[zh]
它的首部字段要求切换协议：`Upgrade: websocket` 和 `Connection: Upgrade`；`Sec-WebSocket-Version: 13`；以及 `Sec-WebSocket-Key: 2TJhMw0YN68vQoJqydknUA==`，这是 16 个随机字节的 Base64 编码，每条连接都重新生成（这里取自本次运行的种子）。172 字节的首部，没有正文。

## when server app websocket-accept sent
[en]
The server proves it understood the WebSocket request by computing `Sec-WebSocket-Accept` from the key (RFC 6455 §4.2.2): append the fixed GUID `258EAFA5-E914-47DA-95CA-C5AB0DC85B11` to the key, take the SHA-1 of that string (`d2ee8c03e518…585a`, 20 bytes), and encode it in Base64: `0u6MA+UYMBaPnCEMzl0vvMDOWFo=`. StackLab computes it with its own SHA-1 and Base64, checked against RFC 6455's example and the SHA-1 test vectors of FIPS 180.
[zh]
服务器用密钥算出 `Sec-WebSocket-Accept`，以证明它读懂了这个 WebSocket 请求（RFC 6455 §4.2.2）：在密钥后面接上固定的 GUID，也就是 RFC 6455 规定的那串字符，对整个字符串做 SHA-1（得到 20 字节），再做 Base64 编码，得到 `0u6MA+UYMBaPnCEMzl0vvMDOWFo=`。StackLab 用自己的 SHA-1 和 Base64 来计算，并用 RFC 6455 的例子和 FIPS 180 的 SHA-1 测试向量检验过。

## at first data from server
focus: http.start-line
[en]
The answer: `HTTP/1.1 101 Switching Protocols`, with `Upgrade`, `Connection` and the accept value. After its empty line, HTTP is over on this connection: the next byte either way is a WebSocket frame.
[zh]
答复是 `HTTP/1.1 101 Switching Protocols`，带 `Upgrade`、`Connection` 和应答值。它的空行之后，这条连接上的 HTTP 就结束了：此后双方发出的下一个字节都是 WebSocket 帧。

## when client app websocket-open
[en]
The client checks the accept value against its own computation and reports `onopen`: the WebSocket is established (§4.1). This is the WebSocket event, not the socket's: the socket's own `onopen` came 20 ms earlier, when TCP's handshake finished. The browser API has four events: `onopen`, `onmessage`, `onerror` (the peer broke the protocol) and `onclose`.
[zh]
客户端把应答值和自己算出的结果比对，然后报告 `onopen`：WebSocket 建立了（§4.1）。这是 WebSocket 的事件，不是套接字的：套接字自己的 `onopen` 早在 20 毫秒前、TCP 握手完成时就来了。浏览器的 API 有四个事件：`onopen`、`onmessage`、`onerror`（对端违反了协议）和 `onclose`。

## at 2nd data from client
focus: ws.mask
[en]
At 1.04 s the client sends a text message: one frame, 77 bytes. Its header is 6 bytes: FIN and opcode 1 (text), then the MASK bit and the payload length 71, then a 4-byte masking key. Every frame from a client is masked (§5.3): each payload byte is XORed with a key byte, so the bytes on the wire are not the message. Masking is not secrecy (the key travels in the clear); it stops a hostile page from making the browser send bytes that a confused proxy could take for HTTP.
[zh]
1.04 秒时客户端发出一条文本消息：一个帧，77 字节。帧首部 6 字节：FIN 和操作码 1（文本），然后是掩码位和载荷长度 71，再是 4 字节的掩码键。客户端发出的每个帧都必须加掩码（§5.3）：载荷的每个字节与掩码键的一个字节做异或，所以线路上的字节并不是消息本身。掩码不是加密（掩码键是明文传送的）；它是为了防止恶意网页让浏览器发出会被糊涂的代理当成 HTTP 的字节。

## at 2nd data from server
focus: ws.length
[en]
The echo comes back from the server unmasked: servers never mask (§5.1), so its header is only 2 bytes for the same 71-byte message. Compare HTTP: the poll of the previous lesson spent 96 bytes of header to ask and 118 to answer.
[zh]
回声从服务器返回，不加掩码：服务器从不加掩码（§5.1），所以同样 71 字节的消息，帧首部只有 2 字节。对比 HTTP：上一课的轮询，问一次要 96 字节的首部，答一次要 118 字节。

## at 4th data from client
focus: ws.flags
[en]
At 2.54 s the client sends a ping: opcode 9, a control frame with a 4-byte payload. Pings keep a connection alive and test the peer, like the heartbeats of lesson 11, but inside the protocol.
[zh]
2.54 秒时客户端发出一个 ping：操作码 9，是一个带 4 字节载荷的控制帧。ping 用来保持连接、探测对端，就像第 11 课的心跳，只不过是协议自带的。

## at 4th data from server
focus: ws.flags
[en]
The server answers with a pong (opcode 10) carrying the same payload (§5.5.3), at once and by itself: the application is not involved.
[zh]
服务器马上自动回一个 pong（操作码 10），带着同样的载荷（§5.5.3）：应用不需要参与。

## at 6th data from client
focus: ws.flags
[en]
After its third echo the client closes: a Close frame (opcode 8) whose payload is the status code 1000, "normal closure" (§7.4). The close handshake: one side sends Close, the other answers with Close, then TCP is closed.
[zh]
收到第三个回声后客户端关闭：一个关闭帧（操作码 8），载荷是状态码 1000，意思是“正常关闭”（§7.4）。关闭握手：一方发出关闭帧，另一方回一个关闭帧，然后关闭 TCP。

## when server enters FIN-WAIT-1
quiz: state
[en]
The server echoes the Close frame and closes the TCP connection first, as RFC 6455 §7.1.1 asks, so that it, not the client, holds TIME-WAIT.
[zh]
服务器回送关闭帧，并且先关闭 TCP 连接，这是 RFC 6455 §7.1.1 的要求，这样持有 TIME-WAIT 的是服务器，而不是客户端。

## when client app websocket-close
[en]
The client reports `onclose` with code 1000, clean: both Close frames were exchanged before TCP closed. A connection lost without them would report 1006; a frame that breaks the rules is answered with 1002 (protocol error), 1007 (text that is not UTF-8) or 1009 (too big) before `onerror` and `onclose`.
[zh]
客户端报告 `onclose`，关闭码 1000，干净关闭：TCP 关闭之前双方都交换了关闭帧。没有关闭帧就断开的连接会报告 1006；违反规则的帧会先得到 1002（协议错误）、1007（文本不是 UTF-8）或 1009（太大）的答复，然后才是 `onerror` 和 `onclose`。

"""#
        ),
        (
            name: "15-mqtt.md",
            text: #"""
# MQTT: publish/subscribe for instant messaging

title: MQTT: publish/subscribe for instant messaging
title.zh: MQTT：用于即时通信的发布/订阅
scenario: mqtt-chat
seed: 1

## when alice app mqtt-connect sent
[en]
The article names MQTT as a protocol built for instant messaging on phones. Its clients never talk to each other: each keeps one TCP connection to a *broker*, publishes messages to *topics* and subscribes to the topics it wants. Here `alice`, `bob` and `carol` chat in one room through a broker; carol is on a mobile link that loses 20% of the packets both ways, and from 30 s her phone has no signal at all.

Alice's first packet is CONNECT (MQTT 3.1.1 §3.1): her client identifier, a keepalive of 10 s, and a *will*: a message the broker must publish for her on `chat/room1/presence` if her connection dies without a goodbye.
[zh]
原文提到 MQTT 是为手机上的即时通信设计的协议。它的客户端彼此从不直接通信：每个客户端和一个*代理*（broker）保持一条 TCP 连接，把消息发布到*主题*，并订阅自己想要的主题。这里 `alice`、`bob` 和 `carol` 通过一个代理在同一个聊天室里聊天；carol 用的是移动网络，双向都丢失 20% 的分组，而且从 30 秒起她的手机完全没有信号。

alice 的第一个报文是 CONNECT（MQTT 3.1.1 §3.1）：她的客户端标识、10 秒的保活时间，以及一条*遗嘱*：如果她的连接没有道别就断了，代理必须替她在 `chat/room1/presence` 上发布这条消息。

## when alice app mqtt-subscribe sent
[en]
In the same instant, without waiting for the answer (§3.1.4 allows it), alice subscribes to `chat/room1/#` at QoS 1. Topics are levels separated by `/`; in a filter `+` matches exactly one level and `#` matches any number of levels below (and the level itself), so this filter covers the room's messages (`chat/room1`) and its presence notices (`chat/room1/presence`).
[zh]
在同一时刻，不等答复（§3.1.4 允许这样做），alice 就以 QoS 1 订阅 `chat/room1/#`。主题由 `/` 分成若干层；在过滤器中 `+` 恰好匹配一层，`#` 匹配下面任意多层（包括这一层本身），所以这个过滤器既包括聊天室的消息（`chat/room1`），也包括在线状态通知（`chat/room1/presence`）。

## when broker app mqtt-connack sent
[en]
The broker accepts with CONNACK, return code 0 (§3.2); a SUBACK granting QoS 1 follows. CONNECT and CONNACK are MQTT's handshake, on top of TCP's.
[zh]
代理用 CONNACK 接受连接，返回码 0（§3.2）；随后的 SUBACK 同意 QoS 1。CONNECT 和 CONNACK 是 MQTT 自己的握手，在 TCP 的握手之上。

## at first segment dropped
quiz: flags
[en]
Carol's link loses packets: at 0.3 s already, one of her TCP acknowledgments is lost on the way to the broker. TCP repairs most losses by itself, by retransmission, before MQTT notices anything.
[zh]
carol 的链路会丢分组：早在 0.3 秒，她发往代理的一个 TCP 确认就丢了。大多数丢失由 TCP 自己通过重传修复，MQTT 根本察觉不到。

## when alice app mqtt-publish sent
[en]
At 1 s alice writes her first message: a PUBLISH to `chat/room1` at QoS 1, packet identifier 2, 16 bytes of header around a 69-byte message. QoS 1 means "at least once": alice keeps the message until the broker answers with a PUBACK carrying the same identifier.
[zh]
1 秒时 alice 写下第一条消息：一个发往 `chat/room1` 的 PUBLISH，QoS 1，报文标识 2，16 字节的首部包着 69 字节的消息。QoS 1 的意思是“至少一次”：alice 会一直保留这条消息，直到代理回一个带相同标识的 PUBACK。

## when broker app mqtt-publish sent
[en]
The broker acknowledges alice (PUBACK) and fans the message out: one PUBLISH to every client whose subscription matches, alice included. Publishers and subscribers do not know each other; only the broker knows who listens to what.
[zh]
代理向 alice 确认（PUBACK），然后把消息分发出去：给每个订阅匹配的客户端发一个 PUBLISH，也包括 alice 自己。发布者和订阅者互不认识；只有代理知道谁在听什么。

## when bob app chat-message received
[en]
Bob has alice's message 100 ms after she wrote it: half a round trip to the broker, half from it.
[zh]
alice 写下消息 100 毫秒后，bob 就收到了：去代理半个往返，从代理出来再半个。

## when fifth carol app mqtt-publish sent
[en]
But not all. Carol's message of 6 s reached the broker, yet its PUBACK was lost and then delayed, and carol's retry interval is 2 s. At 8 s she publishes the same message again with the DUP flag set (§3.3.1.1): "you may have seen this already". Every PUBLISH sent again carries DUP.
[zh]
但不是全部。carol 在 6 秒发的消息到达了代理，可是它的 PUBACK 丢了，后来又被耽搁，而 carol 的重试间隔是 2 秒。8 秒时她再次发布同一条消息，并设置 DUP 标志（§3.3.1.1）：“你可能已经见过这条了”。每个重发的 PUBLISH 都带 DUP。

## when #13 bob app chat-message received
[en]
At least once is not exactly once: the broker published carol's message again when the DUP copy arrived, so bob (and alice, and carol) get it twice; this second copy arrives at 8.2 s. An application that must not show a message twice removes duplicates itself (by the sender and number in the message), or uses QoS 2.
[zh]
“至少一次”不等于“恰好一次”：DUP 副本到达时，代理又发布了一次 carol 的消息，所以 bob（还有 alice 和 carol）收到了两次；第二份在 8.2 秒到达。不能重复显示消息的应用要自己去重（依据消息里的发送者和编号），或者使用 QoS 2。

## when carol app mqtt-pingreq sent
[en]
After her last message carol has nothing to say. Once her client has sent nothing for its keepalive of 10 s it sends PINGREQ, and the broker answers PINGRESP (§3.1.2.10): MQTT's heartbeat, exactly the idea of lesson 11.
[zh]
发完最后一条消息后，carol 没什么可说了。她的客户端在保活时间 10 秒内什么都没发送，于是发出 PINGREQ，代理回复 PINGRESP（§3.1.2.10）：这就是 MQTT 的心跳，正是第 11 课讲的思路。

## when broker app mqtt-timeout
[en]
From 30 s carol's phone has no signal: her next PINGREQ (31.2 s) and its retransmissions are lost, and no FIN can reach the broker. The broker last heard from her at 21.25 s. At 36.25 s, exactly 1.5 × 10 s later, it gives her up and closes the connection "as if the network had failed".
[zh]
从 30 秒起 carol 的手机没有信号：她的下一个 PINGREQ（31.2 秒）和它的重传都丢了，也没有任何 FIN 能到达代理。代理最后一次收到她的消息是 21.25 秒。36.25 秒时，恰好 1.5 × 10 秒之后，代理放弃她，关闭连接，“就像网络出了故障一样”。

## when broker app mqtt-will
[en]
Because the connection ended without a DISCONNECT, the broker publishes carol's will for her: "carol went offline" on `chat/room1/presence`. This is how a chat shows that someone went offline, even though their phone could not say so.
[zh]
因为连接结束时没有 DISCONNECT，代理替 carol 发布她的遗嘱：在 `chat/room1/presence` 上发布一条消息，内容是 carol 已经离线。即使对方的手机没法告诉任何人，聊天应用也能靠它显示某人已经离线。

## when last alice app mqtt-publish received
[en]
Alice receives the will 50 ms later, through her subscription to `chat/room1/#`.
[zh]
50 毫秒后 alice 通过她对 `chat/room1/#` 的订阅收到了这条遗嘱。

## when alice app mqtt-disconnect sent
[en]
At 45 s alice leaves properly: DISCONNECT, then TCP's close. After a DISCONNECT the broker discards the will (§3.14.4): nobody is told that alice went offline, because she said goodbye.
[zh]
45 秒时 alice 正常离开：先发 DISCONNECT，再关闭 TCP。收到 DISCONNECT 后代理丢弃她的遗嘱（§3.14.4）：没人会被告知 alice 离线了，因为她已经道过别。

## at end
[en]
Every subscriber got every message at least once (16 deliveries for 15 messages each, carol's repeated one included), over a link that lost one packet in five. TCP retransmitted what was lost; MQTT resent, with DUP, what was not acknowledged in time; keepalive found the phone that vanished, and its will told the room.
[zh]
每个订阅者都至少收到每条消息一次（每人 15 条消息，收到 16 次，包括 carol 那条重复的），而链路每五个分组就丢一个。TCP 重传丢失的数据；MQTT 带 DUP 重发没有及时得到确认的消息；保活机制发现了消失的手机，它的遗嘱通知了整个聊天室。

"""#
        ),
        (
            name: "16-textbook-and-kernel.md",
            text: #"""
# The textbook and the kernel

title: The textbook and the kernel
title.zh: 教科书与内核
scenario: teardown-server-first
seed: 1

<!-- A lesson in parts: the same scenarios on the textbook profile, the linux profile and the
     Linux kernel (captures recorded with 'stacklab replay SCENARIO --trace Lessons/captures/…'). -->

## part
title: Textbook
title.zh: 教科书
profile: textbook

## at first FIN from server
[en]
This lesson runs the same scenarios three times: on StackLab's textbook profile (the RFCs as written), on its linux profile, and on the real Linux kernel over loopback. Each part has its own ladder; the step counter runs through the whole lesson.

Here the server closes first: at 130 ms its `close()` sends FIN. The client's application closes as soon as it reads end-of-file.
[zh]
本课把同样的场景运行三次：StackLab 的教科书模型（完全按 RFC 写的）、它的 linux 模型，以及回环接口上真正的 Linux 内核。每一部分有自己的时序图，步数在整课里连续编号。

这里服务器先关闭：130 毫秒时它调用 `close()`，发出 FIN。客户端应用一读到文件结束就关闭。

## at third segment from client
quiz: flags
[en]
The textbook receiver acknowledges the FIN at once, in a segment of its own: a pure ACK (ack 2). That is the second of the article's four teardown segments.
[zh]
教科书里的接收方立即确认这个 FIN，用一个单独的报文段：纯 ACK（ack 2）。这就是文章里“四次分手”的第二个报文段。

## at FIN from client
[en]
In the same instant the client's application reads end-of-file and closes: its FIN leaves as a separate segment, and the server's ACK of it makes four. The ACK and the FIN said nothing the other could not have carried.
[zh]
在同一时刻，客户端应用读到文件结束并关闭：它的 FIN 作为另一个报文段发出，服务器再确认它，一共四个。其实这个 ACK 和这个 FIN 完全可以合在一个报文段里。

## part
title: Linux profile
title.zh: Linux 模型
profile: linux

## at third segment from client
quiz: flags
[en]
The same scenario on the linux profile. Linux does not acknowledge a FIN at once: a FIN puts the connection in ping-pong (interactive) mode, so the ACK waits for the application's answer. The client closes on end-of-file, so its FIN carries the ACK: FIN,ACK with ack 2.
[zh]
同样的场景换成 linux 模型。Linux 收到 FIN 后不立即确认：FIN 让连接进入 ping-pong（交互）模式，确认要等应用的回应。客户端读到文件结束就关闭，所以它的 FIN 顺带确认：FIN,ACK，ack 2。

## at last ACK from server
[en]
The server acknowledges that FIN and the connection is down in three segments: FIN; FIN,ACK; ACK. No rule was broken: RFC 9293 lets an ACK ride on any segment, and RFC 1122 §4.2.3.2 lets a receiver delay it (less than 0.5 s).
[zh]
服务器确认这个 FIN，连接用三个报文段就关闭了：FIN；FIN,ACK；ACK。这并不违反规范：RFC 9293 允许 ACK 搭在任何报文段上，RFC 1122 §4.2.3.2 允许接收方推迟确认（不超过 0.5 秒）。

## part
title: Linux kernel
title.zh: Linux 内核
runtime: kernel
capture: captures/16-teardown.jsonl

## at third segment from client
quiz: flags
[en]
Now the real kernel, captured on lo. The client's third segment is again FIN,ACK: the kernel does what the linux profile predicted. This is why a capture of a real close usually shows three teardown segments, not the four of the diagrams.
[zh]
现在是真正的内核，在 lo 上抓包。客户端的第三个报文段同样是 FIN,ACK：内核的做法和 linux 模型预言的一样。所以真实抓包里的关闭过程通常只有三个报文段，而不是图上的四个。

## at last ACK from server
[en]
Three segments, as on the linux profile. On loopback the whole teardown takes well under a millisecond; the times in this part are the kernel's own time stamps.
[zh]
三个报文段，和 linux 模型一样。在回环接口上整个关闭过程远不到一毫秒；这一部分的时间是内核自己的时间戳。

## part
title: Textbook: request
title.zh: 教科书：请求与响应
scenario: request-response
profile: textbook

## at fifth segment from client
[en]
A new scenario: a 100-byte request, a 1000-byte response, then the server closes; the client closes 300 ms after end-of-file. On the textbook profile the client acknowledges the response and the FIN at once, at 50 ms, each in its own ACK.
[zh]
换一个场景：100 字节的请求，1000 字节的响应，然后服务器关闭；客户端在读到文件结束 300 毫秒后才关闭。在教科书模型里，客户端在 50 毫秒时立即确认响应和 FIN，各用一个 ACK。

## part
title: Linux profile: request
title.zh: Linux 模型：请求与响应
scenario: request-response
profile: linux

## when delayed-ack timer fires on client
[en]
On the linux profile the response is acknowledged at once (the first data of a connection is in quick-ACK mode), but the ACK of the FIN waits: the client's application does not answer within the ato, so the delayed-ACK timer fires 40 ms later (`TCP_ATO_MIN`).
[zh]
在 linux 模型里，响应被立即确认（连接的第一批数据处于快速确认模式），但 FIN 的确认要等：客户端应用没有在 ato 内回应，于是延迟确认计时器在 40 毫秒后到期（`TCP_ATO_MIN`）。

## at fifth segment from client
quiz: flags
[en]
Only now, at 90 ms, does the lone ACK of the FIN leave: four teardown segments again, because this client closed late. Ping-pong saves a segment only when the answer comes within the wait.
[zh]
直到 90 毫秒，FIN 的单独确认才发出：这次又是四个报文段，因为客户端关闭得晚。只有应用在等待时间内回应，ping-pong 才能省下一个报文段。

## part
title: Linux kernel: request
title.zh: Linux 内核：请求与响应
scenario: request-response
runtime: kernel
capture: captures/16-request-response.jsonl

## at fourth segment from client
focus: tcp.window
[en]
The kernel acknowledges the response at once too. Look at its window: 69, in units of 1024 (window scale 10), that is 70656 bytes. Its SYN offered 65495 and its ACKs before the data 64 (65536): the window grew as data arrived. Linux sizes the window from the memory its receive buffer spends on packets and raises it as packets prove small in overhead. The linux profile models this too: on this scenario's 1500-byte link its window goes from 63 to 66, two segments more.
[zh]
内核同样立即确认了响应。看它的窗口：69，单位是 1024（窗口扩大因子 10），即 70656 字节。它的 SYN 给出 65495，数据到来之前的 ACK 是 64（65536）：窗口随数据到来而增大。Linux 根据接收缓冲区为报文实际花费的内存来确定窗口，并在报文的额外开销较小时逐步放大窗口。linux 模型也模拟了这一点：在这个场景 1500 字节 MTU 的链路上，它的窗口从 63 增加到 66，多了两个报文段。

## at fifth segment from client
quiz: flags
[en]
The lone ACK of the FIN, about 40 ms after the FIN arrived: the kernel's delayed ACK, as the linux profile predicted, then the client's FIN,ACK 300 ms after end-of-file.
[zh]
FIN 的单独确认，在 FIN 到达大约 40 毫秒之后：这是内核的延迟确认，和 linux 模型预言的一样；客户端读到文件结束 300 毫秒后才发出 FIN,ACK。

## part
title: Linux kernel: keep-alive
title.zh: Linux 内核：长连接
scenario: http-keepalive
runtime: kernel
capture: captures/16-keepalive.jsonl

## at second data from server
[en]
Five requests on one connection. After the first exchange the connection is in ping-pong mode: the server answers each request within the ato, so the response itself carries the ACK of the request (ack 163), with no pure ACK before it. The textbook profile would send one before every response.
[zh]
一个连接上的五个请求。第一轮之后连接进入 ping-pong 模式：服务器在 ato 之内回应每个请求，所以响应本身就带着对请求的确认（ack 163），之前没有纯 ACK。教科书模型会在每个响应前先发一个纯 ACK。

## at last ACK from client
[en]
After the last response the client has nothing to send, so no answer can carry the ACK: the delayed-ACK timer sends it alone, some 40 ms later. Delayed ACK and ping-pong trade a little delay for fewer segments; the textbook shows the simplest correct TCP, the kernel what you will see in a capture.
[zh]
最后一个响应之后客户端没有要发的数据，没有回应能捎带确认：延迟确认计时器大约 40 毫秒后单独发出它。延迟确认和 ping-pong 用一点延迟换来更少的报文段；教科书展示最简单的正确 TCP，内核展示你在抓包里真正会看到的样子。

## part
title: Linux profile: a tail loss probe
title.zh: Linux 模型：尾部丢失探测
scenario: stopped-reader
profile: linux

## at packet 90
[en]
One more thing Linux does that the textbook does not. The server has stopped reading and its ACKs fall behind the data. The client has had no ACK for 2·SRTT + 2 ms (48 ms here, in whole 4 ms ticks), so its loss-probe timer fires and it sends a probe: the next new segment, whatever the congestion window and Nagle say, since the server's window still has room (with no room, it would send its last segment again). If the last segments of a flight are lost, no later segment can draw the duplicate ACKs that fast retransmit needs, and only the RTO would repair them, 200 ms or more later (RFC 8985 §7).

The ACK the probe draws shows what arrived. If the probe repaired a loss, cwnd is halved; if a D-SACK reports the copy as a duplicate, nothing changes; nothing backs off, unlike after an RTO. In the `stopped-reader` replay on lo the kernel's window has no room left, so its probe resends the last segment about 5 ms after it, and the server's delayed ACK reports that copy as a D-SACK.
[zh]
再看一个 Linux 有而教科书没有的机制。服务器停止了读取，它的 ACK 落在数据后面。客户端已经 2·SRTT + 2 毫秒（这里是 48 毫秒，按 4 毫秒的时钟节拍取整）没有收到任何确认，于是丢失探测计时器到期，它发出一个探测报文：下一个新报文段，不管拥塞窗口和 Nagle 算法，因为服务器的窗口还有空间（如果没有空间，就把最后一个报文段再发一次）。如果一批数据的最后几个报文段丢了，后面就没有报文段能引出快速重传所需的重复 ACK，只能等 200 毫秒以上的 RTO 来修复（RFC 8985 §7）。

探测引出的 ACK 说明了什么已经到达。如果探测修复了一次丢失，cwnd 减半；如果 D-SACK 报告这份拷贝是重复的，一切照旧；和 RTO 不同，这里没有退避。在 lo 上重放 `stopped-reader` 时，内核那边的窗口已经没有空间，所以它的探测在最后一个报文段之后大约 5 毫秒把它重发一次，服务器的延迟确认用 D-SACK 报告这份重复的拷贝。

"""#
        ),
        (
            name: "captures/16-keepalive.jsonl",
            text: #"""
{"format":"stacklab-trace","format_version":2,"scenario":"http-keepalive","seed":1,"profile":"kernel","hosts":[{"name":"client","address":"127.0.0.1"},{"name":"server","address":"127.0.0.2"}],"link":{"rtt_ns":50000,"jitter_ns":0,"bandwidth_bps":0,"loss_ppm":0,"duplicate_ppm":0,"reorder_ppm":0,"corrupt_ppm":0,"mtu":65535,"partitions":[]}}
{"t_ns":638364,"node":"server","event":"socket_call","socket":"server:80","call":"listen","argument":"backlog 128"}
{"t_ns":827646,"node":"server","event":"state_changed","connection":"server:80","from":"CLOSED","to":"LISTEN","cause":"observed"}
{"t_ns":844174,"node":"client","event":"socket_call","socket":"client","call":"connect","argument":"server:80"}
{"t_ns":1083537,"node":"client","event":"state_changed","connection":"client:59121>server:80","from":"CLOSED","to":"ESTABLISHED","cause":"observed"}
{"t_ns":1291366,"node":"client","event":"packet_sent","note":"","bytes":"4500003c36c34000400605f67f0000017f000002e6f100507ddab45600000000a002ffd7fe3100000204ffd70402080a41fe50d8000000000103030a"}
{"t_ns":1329281,"node":"server","event":"packet_received","bytes":"4500003c36c34000400605f67f0000017f000002e6f100507ddab45600000000a002ffd7fe3100000204ffd70402080a41fe50d8000000000103030a"}
{"t_ns":1336147,"node":"server","event":"packet_sent","note":"","bytes":"4500003c0000400040063cb97f0000027f0000010050e6f1c904e5987ddab457a012ffcbfe3100000204ffd70402080a6204473941fe50d80103030a"}
{"t_ns":1341596,"node":"client","event":"packet_received","bytes":"4500003c0000400040063cb97f0000027f0000010050e6f1c904e5987ddab457a012ffcbfe3100000204ffd70402080a6204473941fe50d80103030a"}
{"t_ns":1346772,"node":"client","event":"packet_sent","note":"","bytes":"4500003436c44000400605fd7f0000017f000002e6f100507ddab457c904e59980100040fe2900000101080a41fe50d862044739"}
{"t_ns":1352208,"node":"server","event":"packet_received","bytes":"4500003436c44000400605fd7f0000017f000002e6f100507ddab457c904e59980100040fe2900000101080a41fe50d862044739"}
{"t_ns":1379961,"node":"server","event":"state_changed","connection":"server:80>client:59121","from":"CLOSED","to":"ESTABLISHED","cause":"observed"}
{"t_ns":1382390,"node":"server","event":"socket_call","socket":"server:80","call":"accept","argument":"client:59121"}
{"t_ns":1415844,"node":"client","event":"socket_event","socket":"client:59121>server:80","name":"open","detail":"server:80"}
{"t_ns":1424148,"node":"client","event":"app_event","socket":"client:59121>server:80","name":"http-request","detail":"sent #0 GET /index.html HTTP/1.1 header 81 body 0"}
{"t_ns":1427327,"node":"client","event":"socket_call","socket":"client:59121>server:80","call":"send","argument":"81 bytes"}
{"t_ns":1500754,"node":"client","event":"packet_sent","note":"","bytes":"4500008536c54000400605ab7f0000017f000002e6f100507ddab457c904e59980180040fe7a00000101080a41fe50d862044739474554202f696e6465782e68746d6c20485454502f312e310d0a486f73743a207365727665720d0a557365722d4167656e743a20737461636b6c61622f302e310d0a4163636570743a202a2f2a0d0a0d0a"}
{"t_ns":1506494,"node":"server","event":"packet_received","bytes":"4500008536c54000400605ab7f0000017f000002e6f100507ddab457c904e59980180040fe7a00000101080a41fe50d862044739474554202f696e6465782e68746d6c20485454502f312e310d0a486f73743a207365727665720d0a557365722d4167656e743a20737461636b6c61622f302e310d0a4163636570743a202a2f2a0d0a0d0a"}
{"t_ns":1511862,"node":"server","event":"packet_sent","note":"","bytes":"4500003458dd40004006e3e37f0000027f0000010050e6f1c904e5997ddab4a880100040fe2900000101080a6204473941fe50d8"}
{"t_ns":1517054,"node":"client","event":"packet_received","bytes":"4500003458dd40004006e3e37f0000027f0000010050e6f1c904e5997ddab4a880100040fe2900000101080a6204473941fe50d8"}
{"t_ns":1535115,"node":"server","event":"socket_event","socket":"server:80>client:59121","name":"message","detail":"81 bytes"}
{"t_ns":1637089,"node":"server","event":"app_event","socket":"server:80>client:59121","name":"http-request","detail":"received #0 GET /index.html HTTP/1.1 body 0"}
{"t_ns":1694070,"node":"server","event":"app_event","socket":"server:80>client:59121","name":"http-response","detail":"sent #0 HTTP/1.1 200 header 102 body 336"}
{"t_ns":1698946,"node":"server","event":"socket_call","socket":"server:80>client:59121","call":"send","argument":"438 bytes"}
{"t_ns":1748878,"node":"server","event":"packet_sent","note":"","bytes":"450001ea58de40004006e22c7f0000027f0000010050e6f1c904e5997ddab4a880180040ffdf00000101080a6204473a41fe50d8485454502f312e3120323030204f4b0d0a5365727665723a20537461636b4c61622f302e310d0a436f6e74656e742d547970653a20746578742f68746d6c3b20636861727365743d7574662d380d0a436f6e74656e742d4c656e6774683a203333360d0a0d0a3c21444f43545950452068746d6c3e0a3c68746d6c3e0a3c686561643e3c7469746c653e537461636b4c61623c2f7469746c653e3c6c696e6b2072656c3d227374796c6573686565742220687265663d222f7374796c652e637373223e3c2f686561643e0a3c626f64793e0a3c68313e48656c6c6f2066726f6d20537461636b4c61623c2f68313e0a3c703e5468697320706167652074726176656c6c656420696e7369646520544350207365676d656e747320696e736964652049507634207061636b6574732e0a41736b20666f72203c6120687265663d222f68656c6c6f2e747874223e2f68656c6c6f2e7478743c2f613e2c206f7220666f72203c6120687265663d222f6563686f223e2f6563686f3c2f613e0a746f2073656520746865207265717565737420796f757220636c69656e742073656e742e3c2f703e0a3c2f626f64793e0a3c2f68746d6c3e0a"}
{"t_ns":1755569,"node":"client","event":"packet_received","bytes":"450001ea58de40004006e22c7f0000027f0000010050e6f1c904e5997ddab4a880180040ffdf00000101080a6204473a41fe50d8485454502f312e3120323030204f4b0d0a5365727665723a20537461636b4c61622f302e310d0a436f6e74656e742d547970653a20746578742f68746d6c3b20636861727365743d7574662d380d0a436f6e74656e742d4c656e6774683a203333360d0a0d0a3c21444f43545950452068746d6c3e0a3c68746d6c3e0a3c686561643e3c7469746c653e537461636b4c61623c2f7469746c653e3c6c696e6b2072656c3d227374796c6573686565742220687265663d222f7374796c652e637373223e3c2f686561643e0a3c626f64793e0a3c68313e48656c6c6f2066726f6d20537461636b4c61623c2f68313e0a3c703e5468697320706167652074726176656c6c656420696e7369646520544350207365676d656e747320696e736964652049507634207061636b6574732e0a41736b20666f72203c6120687265663d222f68656c6c6f2e747874223e2f68656c6c6f2e7478743c2f613e2c206f7220666f72203c6120687265663d222f6563686f223e2f6563686f3c2f613e0a746f2073656520746865207265717565737420796f757220636c69656e742073656e742e3c2f703e0a3c2f626f64793e0a3c2f68746d6c3e0a"}
{"t_ns":1761013,"node":"client","event":"packet_sent","note":"","bytes":"4500003436c64000400605fb7f0000017f000002e6f100507ddab4a8c904e74f80100040fe2900000101080a41fe50d96204473a"}
{"t_ns":1765976,"node":"server","event":"packet_received","bytes":"4500003436c64000400605fb7f0000017f000002e6f100507ddab4a8c904e74f80100040fe2900000101080a41fe50d96204473a"}
{"t_ns":1779922,"node":"client","event":"socket_event","socket":"client:59121>server:80","name":"message","detail":"438 bytes"}
{"t_ns":1883045,"node":"client","event":"app_event","socket":"client:59121>server:80","name":"http-response","detail":"received #0 HTTP/1.1 200 body 336 latency 1038300 ns"}
{"t_ns":1931269,"node":"client","event":"app_event","socket":"client:59121>server:80","name":"http-request","detail":"sent #1 GET /index.html HTTP/1.1 header 81 body 0"}
{"t_ns":1933161,"node":"client","event":"socket_call","socket":"client:59121>server:80","call":"send","argument":"81 bytes"}
{"t_ns":1973442,"node":"client","event":"packet_sent","note":"","bytes":"4500008536c74000400605a97f0000017f000002e6f100507ddab4a8c904e74f80180040fe7a00000101080a41fe50d96204473a474554202f696e6465782e68746d6c20485454502f312e310d0a486f73743a207365727665720d0a557365722d4167656e743a20737461636b6c61622f302e310d0a4163636570743a202a2f2a0d0a0d0a"}
{"t_ns":1979804,"node":"server","event":"packet_received","bytes":"4500008536c74000400605a97f0000017f000002e6f100507ddab4a8c904e74f80180040fe7a00000101080a41fe50d96204473a474554202f696e6465782e68746d6c20485454502f312e310d0a486f73743a207365727665720d0a557365722d4167656e743a20737461636b6c61622f302e310d0a4163636570743a202a2f2a0d0a0d0a"}
{"t_ns":1993213,"node":"server","event":"socket_event","socket":"server:80>client:59121","name":"message","detail":"81 bytes"}
{"t_ns":2069983,"node":"server","event":"app_event","socket":"server:80>client:59121","name":"http-request","detail":"received #1 GET /index.html HTTP/1.1 body 0"}
{"t_ns":2118936,"node":"server","event":"app_event","socket":"server:80>client:59121","name":"http-response","detail":"sent #1 HTTP/1.1 200 header 102 body 336"}
{"t_ns":2124121,"node":"server","event":"socket_call","socket":"server:80>client:59121","call":"send","argument":"438 bytes"}
{"t_ns":2168499,"node":"server","event":"packet_sent","note":"","bytes":"450001ea58df40004006e22b7f0000027f0000010050e6f1c904e74f7ddab4f980180040ffdf00000101080a6204473a41fe50d9485454502f312e3120323030204f4b0d0a5365727665723a20537461636b4c61622f302e310d0a436f6e74656e742d547970653a20746578742f68746d6c3b20636861727365743d7574662d380d0a436f6e74656e742d4c656e6774683a203333360d0a0d0a3c21444f43545950452068746d6c3e0a3c68746d6c3e0a3c686561643e3c7469746c653e537461636b4c61623c2f7469746c653e3c6c696e6b2072656c3d227374796c6573686565742220687265663d222f7374796c652e637373223e3c2f686561643e0a3c626f64793e0a3c68313e48656c6c6f2066726f6d20537461636b4c61623c2f68313e0a3c703e5468697320706167652074726176656c6c656420696e7369646520544350207365676d656e747320696e736964652049507634207061636b6574732e0a41736b20666f72203c6120687265663d222f68656c6c6f2e747874223e2f68656c6c6f2e7478743c2f613e2c206f7220666f72203c6120687265663d222f6563686f223e2f6563686f3c2f613e0a746f2073656520746865207265717565737420796f757220636c69656e742073656e742e3c2f703e0a3c2f626f64793e0a3c2f68746d6c3e0a"}
{"t_ns":2175667,"node":"client","event":"packet_received","bytes":"450001ea58df40004006e22b7f0000027f0000010050e6f1c904e74f7ddab4f980180040ffdf00000101080a6204473a41fe50d9485454502f312e3120323030204f4b0d0a5365727665723a20537461636b4c61622f302e310d0a436f6e74656e742d547970653a20746578742f68746d6c3b20636861727365743d7574662d380d0a436f6e74656e742d4c656e6774683a203333360d0a0d0a3c21444f43545950452068746d6c3e0a3c68746d6c3e0a3c686561643e3c7469746c653e537461636b4c61623c2f7469746c653e3c6c696e6b2072656c3d227374796c6573686565742220687265663d222f7374796c652e637373223e3c2f686561643e0a3c626f64793e0a3c68313e48656c6c6f2066726f6d20537461636b4c61623c2f68313e0a3c703e5468697320706167652074726176656c6c656420696e7369646520544350207365676d656e747320696e736964652049507634207061636b6574732e0a41736b20666f72203c6120687265663d222f68656c6c6f2e747874223e2f68656c6c6f2e7478743c2f613e2c206f7220666f72203c6120687265663d222f6563686f223e2f6563686f3c2f613e0a746f2073656520746865207265717565737420796f757220636c69656e742073656e742e3c2f703e0a3c2f626f64793e0a3c2f68746d6c3e0a"}
{"t_ns":2188998,"node":"client","event":"socket_event","socket":"client:59121>server:80","name":"message","detail":"438 bytes"}
{"t_ns":2280774,"node":"client","event":"app_event","socket":"client:59121>server:80","name":"http-response","detail":"received #1 HTTP/1.1 200 body 336 latency 394236 ns"}
{"t_ns":2325739,"node":"client","event":"app_event","socket":"client:59121>server:80","name":"http-request","detail":"sent #2 GET /index.html HTTP/1.1 header 81 body 0"}
{"t_ns":2327490,"node":"client","event":"socket_call","socket":"client:59121>server:80","call":"send","argument":"81 bytes"}
{"t_ns":2366853,"node":"client","event":"packet_sent","note":"","bytes":"4500008536c84000400605a87f0000017f000002e6f100507ddab4f9c904e90580180040fe7a00000101080a41fe50d96204473a474554202f696e6465782e68746d6c20485454502f312e310d0a486f73743a207365727665720d0a557365722d4167656e743a20737461636b6c61622f302e310d0a4163636570743a202a2f2a0d0a0d0a"}
{"t_ns":2373088,"node":"server","event":"packet_received","bytes":"4500008536c84000400605a87f0000017f000002e6f100507ddab4f9c904e90580180040fe7a00000101080a41fe50d96204473a474554202f696e6465782e68746d6c20485454502f312e310d0a486f73743a207365727665720d0a557365722d4167656e743a20737461636b6c61622f302e310d0a4163636570743a202a2f2a0d0a0d0a"}
{"t_ns":2385713,"node":"server","event":"socket_event","socket":"server:80>client:59121","name":"message","detail":"81 bytes"}
{"t_ns":2460210,"node":"server","event":"app_event","socket":"server:80>client:59121","name":"http-request","detail":"received #2 GET /index.html HTTP/1.1 body 0"}
{"t_ns":2507299,"node":"server","event":"app_event","socket":"server:80>client:59121","name":"http-response","detail":"sent #2 HTTP/1.1 200 header 102 body 336"}
{"t_ns":2510774,"node":"server","event":"socket_call","socket":"server:80>client:59121","call":"send","argument":"438 bytes"}
{"t_ns":2555179,"node":"server","event":"packet_sent","note":"","bytes":"450001ea58e040004006e22a7f0000027f0000010050e6f1c904e9057ddab54a80180040ffdf00000101080a6204473a41fe50d9485454502f312e3120323030204f4b0d0a5365727665723a20537461636b4c61622f302e310d0a436f6e74656e742d547970653a20746578742f68746d6c3b20636861727365743d7574662d380d0a436f6e74656e742d4c656e6774683a203333360d0a0d0a3c21444f43545950452068746d6c3e0a3c68746d6c3e0a3c686561643e3c7469746c653e537461636b4c61623c2f7469746c653e3c6c696e6b2072656c3d227374796c6573686565742220687265663d222f7374796c652e637373223e3c2f686561643e0a3c626f64793e0a3c68313e48656c6c6f2066726f6d20537461636b4c61623c2f68313e0a3c703e5468697320706167652074726176656c6c656420696e7369646520544350207365676d656e747320696e736964652049507634207061636b6574732e0a41736b20666f72203c6120687265663d222f68656c6c6f2e747874223e2f68656c6c6f2e7478743c2f613e2c206f7220666f72203c6120687265663d222f6563686f223e2f6563686f3c2f613e0a746f2073656520746865207265717565737420796f757220636c69656e742073656e742e3c2f703e0a3c2f626f64793e0a3c2f68746d6c3e0a"}
{"t_ns":2561920,"node":"client","event":"packet_received","bytes":"450001ea58e040004006e22a7f0000027f0000010050e6f1c904e9057ddab54a80180040ffdf00000101080a6204473a41fe50d9485454502f312e3120323030204f4b0d0a5365727665723a20537461636b4c61622f302e310d0a436f6e74656e742d547970653a20746578742f68746d6c3b20636861727365743d7574662d380d0a436f6e74656e742d4c656e6774683a203333360d0a0d0a3c21444f43545950452068746d6c3e0a3c68746d6c3e0a3c686561643e3c7469746c653e537461636b4c61623c2f7469746c653e3c6c696e6b2072656c3d227374796c6573686565742220687265663d222f7374796c652e637373223e3c2f686561643e0a3c626f64793e0a3c68313e48656c6c6f2066726f6d20537461636b4c61623c2f68313e0a3c703e5468697320706167652074726176656c6c656420696e7369646520544350207365676d656e747320696e736964652049507634207061636b6574732e0a41736b20666f72203c6120687265663d222f68656c6c6f2e747874223e2f68656c6c6f2e7478743c2f613e2c206f7220666f72203c6120687265663d222f6563686f223e2f6563686f3c2f613e0a746f2073656520746865207265717565737420796f757220636c69656e742073656e742e3c2f703e0a3c2f626f64793e0a3c2f68746d6c3e0a"}
{"t_ns":2575350,"node":"client","event":"socket_event","socket":"client:59121>server:80","name":"message","detail":"438 bytes"}
{"t_ns":2842431,"node":"client","event":"app_event","socket":"client:59121>server:80","name":"http-response","detail":"received #2 HTTP/1.1 200 body 336 latency 557737 ns"}
{"t_ns":2895339,"node":"client","event":"app_event","socket":"client:59121>server:80","name":"http-request","detail":"sent #3 GET /index.html HTTP/1.1 header 81 body 0"}
{"t_ns":2897308,"node":"client","event":"socket_call","socket":"client:59121>server:80","call":"send","argument":"81 bytes"}
{"t_ns":2905628,"node":"client","event":"packet_sent","note":"","bytes":"4500008536c94000400605a77f0000017f000002e6f100507ddab54ac904eabb80180040fe7a00000101080a41fe50da6204473a474554202f696e6465782e68746d6c20485454502f312e310d0a486f73743a207365727665720d0a557365722d4167656e743a20737461636b6c61622f302e310d0a4163636570743a202a2f2a0d0a0d0a"}
{"t_ns":2907916,"node":"server","event":"packet_received","bytes":"4500008536c94000400605a77f0000017f000002e6f100507ddab54ac904eabb80180040fe7a00000101080a41fe50da6204473a474554202f696e6465782e68746d6c20485454502f312e310d0a486f73743a207365727665720d0a557365722d4167656e743a20737461636b6c61622f302e310d0a4163636570743a202a2f2a0d0a0d0a"}
{"t_ns":2973208,"node":"server","event":"socket_event","socket":"server:80>client:59121","name":"message","detail":"81 bytes"}
{"t_ns":3053878,"node":"server","event":"app_event","socket":"server:80>client:59121","name":"http-request","detail":"received #3 GET /index.html HTTP/1.1 body 0"}
{"t_ns":3102047,"node":"server","event":"app_event","socket":"server:80>client:59121","name":"http-response","detail":"sent #3 HTTP/1.1 200 header 102 body 336"}
{"t_ns":3107605,"node":"server","event":"socket_call","socket":"server:80>client:59121","call":"send","argument":"438 bytes"}
{"t_ns":3113694,"node":"server","event":"packet_sent","note":"","bytes":"450001ea58e140004006e2297f0000027f0000010050e6f1c904eabb7ddab59b80180040ffdf00000101080a6204473b41fe50da485454502f312e3120323030204f4b0d0a5365727665723a20537461636b4c61622f302e310d0a436f6e74656e742d547970653a20746578742f68746d6c3b20636861727365743d7574662d380d0a436f6e74656e742d4c656e6774683a203333360d0a0d0a3c21444f43545950452068746d6c3e0a3c68746d6c3e0a3c686561643e3c7469746c653e537461636b4c61623c2f7469746c653e3c6c696e6b2072656c3d227374796c6573686565742220687265663d222f7374796c652e637373223e3c2f686561643e0a3c626f64793e0a3c68313e48656c6c6f2066726f6d20537461636b4c61623c2f68313e0a3c703e5468697320706167652074726176656c6c656420696e7369646520544350207365676d656e747320696e736964652049507634207061636b6574732e0a41736b20666f72203c6120687265663d222f68656c6c6f2e747874223e2f68656c6c6f2e7478743c2f613e2c206f7220666f72203c6120687265663d222f6563686f223e2f6563686f3c2f613e0a746f2073656520746865207265717565737420796f757220636c69656e742073656e742e3c2f703e0a3c2f626f64793e0a3c2f68746d6c3e0a"}
{"t_ns":3115084,"node":"client","event":"packet_received","bytes":"450001ea58e140004006e2297f0000027f0000010050e6f1c904eabb7ddab59b80180040ffdf00000101080a6204473b41fe50da485454502f312e3120323030204f4b0d0a5365727665723a20537461636b4c61622f302e310d0a436f6e74656e742d547970653a20746578742f68746d6c3b20636861727365743d7574662d380d0a436f6e74656e742d4c656e6774683a203333360d0a0d0a3c21444f43545950452068746d6c3e0a3c68746d6c3e0a3c686561643e3c7469746c653e537461636b4c61623c2f7469746c653e3c6c696e6b2072656c3d227374796c6573686565742220687265663d222f7374796c652e637373223e3c2f686561643e0a3c626f64793e0a3c68313e48656c6c6f2066726f6d20537461636b4c61623c2f68313e0a3c703e5468697320706167652074726176656c6c656420696e7369646520544350207365676d656e747320696e736964652049507634207061636b6574732e0a41736b20666f72203c6120687265663d222f68656c6c6f2e747874223e2f68656c6c6f2e7478743c2f613e2c206f7220666f72203c6120687265663d222f6563686f223e2f6563686f3c2f613e0a746f2073656520746865207265717565737420796f757220636c69656e742073656e742e3c2f703e0a3c2f626f64793e0a3c2f68746d6c3e0a"}
{"t_ns":3189243,"node":"client","event":"socket_event","socket":"client:59121>server:80","name":"message","detail":"438 bytes"}
{"t_ns":3284616,"node":"client","event":"app_event","socket":"client:59121>server:80","name":"http-response","detail":"received #3 HTTP/1.1 200 body 336 latency 437877 ns"}
{"t_ns":3330681,"node":"client","event":"app_event","socket":"client:59121>server:80","name":"http-request","detail":"sent #4 GET /index.html HTTP/1.1 header 81 body 0"}
{"t_ns":3332490,"node":"client","event":"socket_call","socket":"client:59121>server:80","call":"send","argument":"81 bytes"}
{"t_ns":3338271,"node":"client","event":"packet_sent","note":"","bytes":"4500008536ca4000400605a67f0000017f000002e6f100507ddab59bc904ec7180180040fe7a00000101080a41fe50da6204473b474554202f696e6465782e68746d6c20485454502f312e310d0a486f73743a207365727665720d0a557365722d4167656e743a20737461636b6c61622f302e310d0a4163636570743a202a2f2a0d0a0d0a"}
{"t_ns":3339405,"node":"server","event":"packet_received","bytes":"4500008536ca4000400605a67f0000017f000002e6f100507ddab59bc904ec7180180040fe7a00000101080a41fe50da6204473b474554202f696e6465782e68746d6c20485454502f312e310d0a486f73743a207365727665720d0a557365722d4167656e743a20737461636b6c61622f302e310d0a4163636570743a202a2f2a0d0a0d0a"}
{"t_ns":3392108,"node":"server","event":"socket_event","socket":"server:80>client:59121","name":"message","detail":"81 bytes"}
{"t_ns":3468903,"node":"server","event":"app_event","socket":"server:80>client:59121","name":"http-request","detail":"received #4 GET /index.html HTTP/1.1 body 0"}
{"t_ns":3516516,"node":"server","event":"app_event","socket":"server:80>client:59121","name":"http-response","detail":"sent #4 HTTP/1.1 200 header 102 body 336"}
{"t_ns":3520406,"node":"server","event":"socket_call","socket":"server:80>client:59121","call":"send","argument":"438 bytes"}
{"t_ns":3525706,"node":"server","event":"packet_sent","note":"","bytes":"450001ea58e240004006e2287f0000027f0000010050e6f1c904ec717ddab5ec80180040ffdf00000101080a6204473b41fe50da485454502f312e3120323030204f4b0d0a5365727665723a20537461636b4c61622f302e310d0a436f6e74656e742d547970653a20746578742f68746d6c3b20636861727365743d7574662d380d0a436f6e74656e742d4c656e6774683a203333360d0a0d0a3c21444f43545950452068746d6c3e0a3c68746d6c3e0a3c686561643e3c7469746c653e537461636b4c61623c2f7469746c653e3c6c696e6b2072656c3d227374796c6573686565742220687265663d222f7374796c652e637373223e3c2f686561643e0a3c626f64793e0a3c68313e48656c6c6f2066726f6d20537461636b4c61623c2f68313e0a3c703e5468697320706167652074726176656c6c656420696e7369646520544350207365676d656e747320696e736964652049507634207061636b6574732e0a41736b20666f72203c6120687265663d222f68656c6c6f2e747874223e2f68656c6c6f2e7478743c2f613e2c206f7220666f72203c6120687265663d222f6563686f223e2f6563686f3c2f613e0a746f2073656520746865207265717565737420796f757220636c69656e742073656e742e3c2f703e0a3c2f626f64793e0a3c2f68746d6c3e0a"}
{"t_ns":3526713,"node":"client","event":"packet_received","bytes":"450001ea58e240004006e2287f0000027f0000010050e6f1c904ec717ddab5ec80180040ffdf00000101080a6204473b41fe50da485454502f312e3120323030204f4b0d0a5365727665723a20537461636b4c61622f302e310d0a436f6e74656e742d547970653a20746578742f68746d6c3b20636861727365743d7574662d380d0a436f6e74656e742d4c656e6774683a203333360d0a0d0a3c21444f43545950452068746d6c3e0a3c68746d6c3e0a3c686561643e3c7469746c653e537461636b4c61623c2f7469746c653e3c6c696e6b2072656c3d227374796c6573686565742220687265663d222f7374796c652e637373223e3c2f686561643e0a3c626f64793e0a3c68313e48656c6c6f2066726f6d20537461636b4c61623c2f68313e0a3c703e5468697320706167652074726176656c6c656420696e7369646520544350207365676d656e747320696e736964652049507634207061636b6574732e0a41736b20666f72203c6120687265663d222f68656c6c6f2e747874223e2f68656c6c6f2e7478743c2f613e2c206f7220666f72203c6120687265663d222f6563686f223e2f6563686f3c2f613e0a746f2073656520746865207265717565737420796f757220636c69656e742073656e742e3c2f703e0a3c2f626f64793e0a3c2f68746d6c3e0a"}
{"t_ns":3582966,"node":"client","event":"socket_event","socket":"client:59121>server:80","name":"message","detail":"438 bytes"}
{"t_ns":3671957,"node":"client","event":"app_event","socket":"client:59121>server:80","name":"http-response","detail":"received #4 HTTP/1.1 200 body 336 latency 383930 ns"}
{"t_ns":46703205,"node":"client","event":"packet_sent","note":"","bytes":"4500003436cb4000400605f67f0000017f000002e6f100507ddab5ecc904ee2780100040fe2900000101080a41fe51066204473b"}
{"t_ns":46724505,"node":"server","event":"packet_received","bytes":"4500003436cb4000400605f67f0000017f000002e6f100507ddab5ecc904ee2780100040fe2900000101080a41fe51066204473b"}
{"t_ns":5004627821,"node":"server","event":"app_event","socket":"server:80>client:59121","name":"http-idle-close","detail":"idle 5001112920 ns"}
{"t_ns":5004637336,"node":"server","event":"socket_call","socket":"server:80>client:59121","call":"close","argument":""}
{"t_ns":5004680992,"node":"server","event":"packet_sent","note":"","bytes":"4500003458e340004006e3dd7f0000027f0000010050e6f1c904ee277ddab5ec80110040fe2900000101080a62045ac541fe5106"}
{"t_ns":5004691892,"node":"client","event":"packet_received","bytes":"4500003458e340004006e3dd7f0000027f0000010050e6f1c904ee277ddab5ec80110040fe2900000101080a62045ac541fe5106"}
{"t_ns":5004738797,"node":"server","event":"state_changed","connection":"server:80>client:59121","from":"ESTABLISHED","to":"FIN-WAIT-1","cause":"observed"}
{"t_ns":5004850464,"node":"client","event":"state_changed","connection":"client:59121>server:80","from":"ESTABLISHED","to":"CLOSE-WAIT","cause":"observed"}
{"t_ns":5004854228,"node":"client","event":"socket_event","socket":"client:59121>server:80","name":"end","detail":"peer finished sending"}
{"t_ns":5004884815,"node":"client","event":"socket_call","socket":"client:59121>server:80","call":"close","argument":""}
{"t_ns":5004895165,"node":"client","event":"packet_sent","note":"","bytes":"4500003436cc4000400605f57f0000017f000002e6f100507ddab5ecc904ee2880110040fe2900000101080a41fe646462045ac5"}
{"t_ns":5004896765,"node":"server","event":"packet_received","bytes":"4500003436cc4000400605f57f0000017f000002e6f100507ddab5ecc904ee2880110040fe2900000101080a41fe646462045ac5"}
{"t_ns":5004907426,"node":"server","event":"packet_sent","note":"","bytes":"4500003458e440004006e3dc7f0000027f0000010050e6f1c904ee287ddab5ed80100040fe2900000101080a62045ac541fe6464"}
{"t_ns":5004915618,"node":"client","event":"packet_received","bytes":"4500003458e440004006e3dc7f0000027f0000010050e6f1c904ee287ddab5ed80100040fe2900000101080a62045ac541fe6464"}
{"t_ns":5007634331,"node":"client","event":"state_changed","connection":"client:59121>server:80","from":"CLOSE-WAIT","to":"CLOSED","cause":"observed"}
{"t_ns":5012558226,"node":"client","event":"socket_event","socket":"client:59121>server:80","name":"close","detail":""}
{"t_ns":5015009873,"node":"server","event":"state_changed","connection":"server:80>client:59121","from":"FIN-WAIT-1","to":"TIME-WAIT","cause":"observed"}
{"t_ns":5015142001,"node":"server","event":"socket_event","socket":"server:80>client:59121","name":"close","detail":""}
{"t_ns":5035599991,"node":"server","event":"state_changed","connection":"server:80","from":"LISTEN","to":"CLOSED","cause":"observed"}

"""#
        ),
        (
            name: "captures/16-request-response.jsonl",
            text: #"""
{"format":"stacklab-trace","format_version":2,"scenario":"request-response","seed":1,"profile":"kernel","hosts":[{"name":"client","address":"127.0.0.1"},{"name":"server","address":"127.0.0.2"}],"link":{"rtt_ns":50000,"jitter_ns":0,"bandwidth_bps":0,"loss_ppm":0,"duplicate_ppm":0,"reorder_ppm":0,"corrupt_ppm":0,"mtu":65535,"partitions":[]}}
{"t_ns":381354,"node":"server","event":"socket_call","socket":"server:80","call":"listen","argument":"backlog 128"}
{"t_ns":523591,"node":"server","event":"state_changed","connection":"server:37581","from":"CLOSED","to":"LISTEN","cause":"observed"}
{"t_ns":532903,"node":"client","event":"socket_call","socket":"client","call":"connect","argument":"server:80"}
{"t_ns":638238,"node":"client","event":"packet_sent","note":"","bytes":"4500003c0f8a400040062d2f7f0000017f000002a6a192cd462e010800000000a002ffd7fe3100000204ffd70402080a402d3442000000000103030a"}
{"t_ns":647872,"node":"server","event":"packet_received","bytes":"4500003c0f8a400040062d2f7f0000017f000002a6a192cd462e010800000000a002ffd7fe3100000204ffd70402080a402d3442000000000103030a"}
{"t_ns":661103,"node":"server","event":"packet_sent","note":"","bytes":"4500003c0000400040063cb97f0000027f00000192cda6a1abad804b462e0109a012ffcbfe3100000204ffd70402080a6cba698e402d34420103030a"}
{"t_ns":662523,"node":"client","event":"packet_received","bytes":"4500003c0000400040063cb97f0000027f00000192cda6a1abad804b462e0109a012ffcbfe3100000204ffd70402080a6cba698e402d34420103030a"}
{"t_ns":674754,"node":"client","event":"packet_sent","note":"","bytes":"450000340f8b400040062d367f0000017f000002a6a192cd462e0109abad804c80100040fe2900000101080a402d34426cba698e"}
{"t_ns":675896,"node":"server","event":"packet_received","bytes":"450000340f8b400040062d367f0000017f000002a6a192cd462e0109abad804c80100040fe2900000101080a402d34426cba698e"}
{"t_ns":689556,"node":"client","event":"state_changed","connection":"client:42657>server:37581","from":"CLOSED","to":"ESTABLISHED","cause":"observed"}
{"t_ns":882069,"node":"server","event":"state_changed","connection":"server:37581>client:42657","from":"CLOSED","to":"ESTABLISHED","cause":"observed"}
{"t_ns":884431,"node":"server","event":"socket_call","socket":"server:37581","call":"accept","argument":"client:42657"}
{"t_ns":931495,"node":"client","event":"socket_event","socket":"client:42657>server:37581","name":"open","detail":"server:37581"}
{"t_ns":936251,"node":"client","event":"socket_call","socket":"client:42657>server:37581","call":"send","argument":"100 bytes"}
{"t_ns":976842,"node":"client","event":"packet_sent","note":"","bytes":"450000980f8c400040062cd17f0000017f000002a6a192cd462e0109abad804c80180040fe8d00000101080a402d34426cba698e030a11181f262d343b424950575e656c737a81888f969da4abb2b9c0c7ced5dce3eaf1f8ff060d141b222930373e454c535a61686f767d848b9299a0a7aeb5bcc3cad1d8dfe6edf4fb020910171e252c333a41484f565d646b727980878e959ca3aab1b8"}
{"t_ns":979065,"node":"server","event":"packet_received","bytes":"450000980f8c400040062cd17f0000017f000002a6a192cd462e0109abad804c80180040fe8d00000101080a402d34426cba698e030a11181f262d343b424950575e656c737a81888f969da4abb2b9c0c7ced5dce3eaf1f8ff060d141b222930373e454c535a61686f767d848b9299a0a7aeb5bcc3cad1d8dfe6edf4fb020910171e252c333a41484f565d646b727980878e959ca3aab1b8"}
{"t_ns":984137,"node":"server","event":"packet_sent","note":"","bytes":"450000347cf840004006bfc87f0000027f00000192cda6a1abad804c462e016d80100040fe2900000101080a6cba698e402d3442"}
{"t_ns":985061,"node":"client","event":"packet_received","bytes":"450000347cf840004006bfc87f0000027f00000192cda6a1abad804c462e016d80100040fe2900000101080a6cba698e402d3442"}
{"t_ns":1120702,"node":"server","event":"socket_event","socket":"server:37581>client:42657","name":"message","detail":"100 bytes"}
{"t_ns":11319976,"node":"server","event":"socket_call","socket":"server:37581>client:42657","call":"send","argument":"1000 bytes"}
{"t_ns":11371285,"node":"server","event":"packet_sent","note":"","bytes":"4500041c7cf940004006bbdf7f0000027f00000192cda6a1abad804c462e016d80180040021200000101080a6cba6998402d3442030a11181f262d343b424950575e656c737a81888f969da4abb2b9c0c7ced5dce3eaf1f8ff060d141b222930373e454c535a61686f767d848b9299a0a7aeb5bcc3cad1d8dfe6edf4fb020910171e252c333a41484f565d646b727980878e959ca3aab1b8bfc6cdd4dbe2e9f0f7fe050c131a21282f363d444b525960676e757c838a91989fa6adb4bbc2c9d0d7dee5ecf3fa01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121920272e353c434a51585f666d747b828990979ea5acb3bac1c8cfd6dde4ebf2f900070e151c232a31383f464d545b626970777e858c939aa1a8afb6bdc4cbd2d9030a11181f262d343b424950575e656c737a81888f969da4abb2b9c0c7ced5dce3eaf1f8ff060d141b222930373e454c535a61686f767d848b9299a0a7aeb5bcc3cad1d8dfe6edf4fb020910171e252c333a41484f565d646b727980878e959ca3aab1b8bfc6cdd4dbe2e9f0f7fe050c131a21282f363d444b525960676e757c838a91989fa6adb4bbc2c9d0d7dee5ecf3fa01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121920272e353c434a51585f666d747b828990979ea5acb3bac1c8cfd6dde4ebf2f900070e151c232a31383f464d545b626970777e858c939aa1a8afb6bdc4cbd2d9030a11181f262d343b424950575e656c737a81888f969da4abb2b9c0c7ced5dce3eaf1f8ff060d141b222930373e454c535a61686f767d848b9299a0a7aeb5bcc3cad1d8dfe6edf4fb020910171e252c333a41484f565d646b727980878e959ca3aab1b8bfc6cdd4dbe2e9f0f7fe050c131a21282f363d444b525960676e757c838a91989fa6adb4bbc2c9d0d7dee5ecf3fa01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121920272e353c434a51585f666d747b828990979ea5acb3bac1c8cfd6dde4ebf2f900070e151c232a31383f464d545b626970777e858c939aa1a8afb6bdc4cbd2d9030a11181f262d343b424950575e656c737a81888f969da4abb2b9c0c7ced5dce3eaf1f8ff060d141b222930373e454c535a61686f767d848b9299a0a7aeb5bcc3cad1d8dfe6edf4fb020910171e252c333a41484f565d646b727980878e959ca3aab1b8bfc6cdd4dbe2e9f0f7fe050c131a21282f363d444b525960676e757c838a91989fa6adb4bbc2c9d0d7dee5ecf3fa01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121920272e353c434a51585f666d747b828990979ea5acb3bac1c8cfd6dde4ebf2f900070e151c232a31383f464d545b626970777e858c939aa1a8afb6bd"}
{"t_ns":11381743,"node":"client","event":"packet_received","bytes":"4500041c7cf940004006bbdf7f0000027f00000192cda6a1abad804c462e016d80180040021200000101080a6cba6998402d3442030a11181f262d343b424950575e656c737a81888f969da4abb2b9c0c7ced5dce3eaf1f8ff060d141b222930373e454c535a61686f767d848b9299a0a7aeb5bcc3cad1d8dfe6edf4fb020910171e252c333a41484f565d646b727980878e959ca3aab1b8bfc6cdd4dbe2e9f0f7fe050c131a21282f363d444b525960676e757c838a91989fa6adb4bbc2c9d0d7dee5ecf3fa01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121920272e353c434a51585f666d747b828990979ea5acb3bac1c8cfd6dde4ebf2f900070e151c232a31383f464d545b626970777e858c939aa1a8afb6bdc4cbd2d9030a11181f262d343b424950575e656c737a81888f969da4abb2b9c0c7ced5dce3eaf1f8ff060d141b222930373e454c535a61686f767d848b9299a0a7aeb5bcc3cad1d8dfe6edf4fb020910171e252c333a41484f565d646b727980878e959ca3aab1b8bfc6cdd4dbe2e9f0f7fe050c131a21282f363d444b525960676e757c838a91989fa6adb4bbc2c9d0d7dee5ecf3fa01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121920272e353c434a51585f666d747b828990979ea5acb3bac1c8cfd6dde4ebf2f900070e151c232a31383f464d545b626970777e858c939aa1a8afb6bdc4cbd2d9030a11181f262d343b424950575e656c737a81888f969da4abb2b9c0c7ced5dce3eaf1f8ff060d141b222930373e454c535a61686f767d848b9299a0a7aeb5bcc3cad1d8dfe6edf4fb020910171e252c333a41484f565d646b727980878e959ca3aab1b8bfc6cdd4dbe2e9f0f7fe050c131a21282f363d444b525960676e757c838a91989fa6adb4bbc2c9d0d7dee5ecf3fa01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121920272e353c434a51585f666d747b828990979ea5acb3bac1c8cfd6dde4ebf2f900070e151c232a31383f464d545b626970777e858c939aa1a8afb6bdc4cbd2d9030a11181f262d343b424950575e656c737a81888f969da4abb2b9c0c7ced5dce3eaf1f8ff060d141b222930373e454c535a61686f767d848b9299a0a7aeb5bcc3cad1d8dfe6edf4fb020910171e252c333a41484f565d646b727980878e959ca3aab1b8bfc6cdd4dbe2e9f0f7fe050c131a21282f363d444b525960676e757c838a91989fa6adb4bbc2c9d0d7dee5ecf3fa01080f161d242b323940474e555c636a71787f868d949ba2a9b0b7bec5ccd3dae1e8eff6fd040b121920272e353c434a51585f666d747b828990979ea5acb3bac1c8cfd6dde4ebf2f900070e151c232a31383f464d545b626970777e858c939aa1a8afb6bd"}
{"t_ns":11393208,"node":"client","event":"packet_sent","note":"","bytes":"450000340f8d400040062d347f0000017f000002a6a192cd462e016dabad843480100045fe2900000101080a402d344c6cba6998"}
{"t_ns":11394327,"node":"server","event":"packet_received","bytes":"450000340f8d400040062d347f0000017f000002a6a192cd462e016dabad843480100045fe2900000101080a402d344c6cba6998"}
{"t_ns":11409737,"node":"server","event":"socket_call","socket":"server:37581>client:42657","call":"close","argument":""}
{"t_ns":11423312,"node":"server","event":"packet_sent","note":"","bytes":"450000347cfa40004006bfc67f0000027f00000192cda6a1abad8434462e016d80110040fe2900000101080a6cba6998402d344c"}
{"t_ns":11424410,"node":"client","event":"packet_received","bytes":"450000347cfa40004006bfc67f0000027f00000192cda6a1abad8434462e016d80110040fe2900000101080a6cba6998402d344c"}
{"t_ns":11437868,"node":"server","event":"state_changed","connection":"server:37581>client:42657","from":"ESTABLISHED","to":"FIN-WAIT-1","cause":"observed"}
{"t_ns":11599226,"node":"client","event":"socket_event","socket":"client:42657>server:37581","name":"message","detail":"1000 bytes"}
{"t_ns":11645795,"node":"client","event":"state_changed","connection":"client:42657>server:37581","from":"ESTABLISHED","to":"CLOSE-WAIT","cause":"observed"}
{"t_ns":11647916,"node":"client","event":"socket_event","socket":"client:42657>server:37581","name":"end","detail":"peer finished sending"}
{"t_ns":51477989,"node":"client","event":"packet_sent","note":"","bytes":"450000340f8e400040062d337f0000017f000002a6a192cd462e016dabad843580100045fe2900000101080a402d34756cba6998"}
{"t_ns":51501605,"node":"server","event":"packet_received","bytes":"450000340f8e400040062d337f0000017f000002a6a192cd462e016dabad843580100045fe2900000101080a402d34756cba6998"}
{"t_ns":51589175,"node":"server","event":"state_changed","connection":"server:37581>client:42657","from":"FIN-WAIT-1","to":"FIN-WAIT-2","cause":"observed"}
{"t_ns":312245165,"node":"client","event":"socket_call","socket":"client:42657>server:37581","call":"close","argument":""}
{"t_ns":312299572,"node":"client","event":"packet_sent","note":"","bytes":"450000340f8f400040062d327f0000017f000002a6a192cd462e016dabad843580110045fe2900000101080a402d35796cba6998"}
{"t_ns":312314902,"node":"server","event":"packet_received","bytes":"450000340f8f400040062d327f0000017f000002a6a192cd462e016dabad843580110045fe2900000101080a402d35796cba6998"}
{"t_ns":312331276,"node":"server","event":"packet_sent","note":"","bytes":"450000347cfb40004006bfc57f0000027f00000192cda6a1abad8435462e016e80100040fe2900000101080a6cba6ac5402d3579"}
{"t_ns":312340273,"node":"client","event":"packet_received","bytes":"450000347cfb40004006bfc57f0000027f00000192cda6a1abad8435462e016e80100040fe2900000101080a6cba6ac5402d3579"}
{"t_ns":315247434,"node":"client","event":"state_changed","connection":"client:42657>server:37581","from":"CLOSE-WAIT","to":"CLOSED","cause":"observed"}
{"t_ns":320680425,"node":"client","event":"socket_event","socket":"client:42657>server:37581","name":"close","detail":""}
{"t_ns":323391489,"node":"server","event":"state_changed","connection":"server:37581>client:42657","from":"FIN-WAIT-2","to":"TIME-WAIT","cause":"observed"}
{"t_ns":323493749,"node":"server","event":"socket_event","socket":"server:37581>client:42657","name":"close","detail":""}
{"t_ns":344188291,"node":"server","event":"state_changed","connection":"server:37581","from":"LISTEN","to":"CLOSED","cause":"observed"}

"""#
        ),
        (
            name: "captures/16-teardown.jsonl",
            text: #"""
{"format":"stacklab-trace","format_version":2,"scenario":"teardown-server-first","seed":1,"profile":"kernel","hosts":[{"name":"client","address":"127.0.0.1"},{"name":"server","address":"127.0.0.2"}],"link":{"rtt_ns":50000,"jitter_ns":0,"bandwidth_bps":0,"loss_ppm":0,"duplicate_ppm":0,"reorder_ppm":0,"corrupt_ppm":0,"mtu":65535,"partitions":[]}}
{"t_ns":362950,"node":"server","event":"socket_call","socket":"server:80","call":"listen","argument":"backlog 128"}
{"t_ns":578439,"node":"server","event":"state_changed","connection":"server:36101","from":"CLOSED","to":"LISTEN","cause":"observed"}
{"t_ns":589245,"node":"client","event":"socket_call","socket":"client","call":"connect","argument":"server:80"}
{"t_ns":699351,"node":"client","event":"packet_sent","note":"","bytes":"4500003c644040004006d8787f0000017f000002db0f8d05dc20655300000000a002ffd7fe3100000204ffd70402080ac8b30efa000000000103030a"}
{"t_ns":708634,"node":"server","event":"packet_received","bytes":"4500003c644040004006d8787f0000017f000002db0f8d05dc20655300000000a002ffd7fe3100000204ffd70402080ac8b30efa000000000103030a"}
{"t_ns":722507,"node":"server","event":"packet_sent","note":"","bytes":"4500003c0000400040063cb97f0000027f0000018d05db0f02acfb4adc206554a012ffcbfe3100000204ffd70402080a933b1914c8b30efa0103030a"}
{"t_ns":723900,"node":"client","event":"packet_received","bytes":"4500003c0000400040063cb97f0000027f0000018d05db0f02acfb4adc206554a012ffcbfe3100000204ffd70402080a933b1914c8b30efa0103030a"}
{"t_ns":736933,"node":"client","event":"packet_sent","note":"","bytes":"45000034644140004006d87f7f0000017f000002db0f8d05dc20655402acfb4b80100040fe2900000101080ac8b30efa933b1914"}
{"t_ns":738146,"node":"server","event":"packet_received","bytes":"45000034644140004006d87f7f0000017f000002db0f8d05dc20655402acfb4b80100040fe2900000101080ac8b30efa933b1914"}
{"t_ns":752258,"node":"client","event":"state_changed","connection":"client:56079>server:36101","from":"CLOSED","to":"ESTABLISHED","cause":"observed"}
{"t_ns":907471,"node":"server","event":"state_changed","connection":"server:36101>client:56079","from":"CLOSED","to":"ESTABLISHED","cause":"observed"}
{"t_ns":909260,"node":"server","event":"socket_call","socket":"server:36101","call":"accept","argument":"client:56079"}
{"t_ns":936365,"node":"client","event":"socket_event","socket":"client:56079>server:36101","name":"open","detail":"server:36101"}
{"t_ns":101202582,"node":"server","event":"socket_call","socket":"server:36101>client:56079","call":"close","argument":""}
{"t_ns":101289108,"node":"server","event":"packet_sent","note":"","bytes":"45000034710440004006cbbc7f0000027f0000018d05db0f02acfb4bdc20655480110040fe2900000101080a933b1979c8b30efa"}
{"t_ns":101302793,"node":"client","event":"packet_received","bytes":"45000034710440004006cbbc7f0000027f0000018d05db0f02acfb4bdc20655480110040fe2900000101080a933b1979c8b30efa"}
{"t_ns":101346558,"node":"server","event":"state_changed","connection":"server:36101>client:56079","from":"ESTABLISHED","to":"FIN-WAIT-1","cause":"observed"}
{"t_ns":101460094,"node":"client","event":"state_changed","connection":"client:56079>server:36101","from":"ESTABLISHED","to":"CLOSE-WAIT","cause":"observed"}
{"t_ns":101465753,"node":"client","event":"socket_event","socket":"client:56079>server:36101","name":"end","detail":"peer finished sending"}
{"t_ns":101481991,"node":"client","event":"socket_call","socket":"client:56079>server:36101","call":"close","argument":""}
{"t_ns":101493016,"node":"client","event":"packet_sent","note":"","bytes":"45000034644240004006d87e7f0000017f000002db0f8d05dc20655402acfb4c80110040fe2900000101080ac8b30f5f933b1979"}
{"t_ns":101495383,"node":"server","event":"packet_received","bytes":"45000034644240004006d87e7f0000017f000002db0f8d05dc20655402acfb4c80110040fe2900000101080ac8b30f5f933b1979"}
{"t_ns":101507310,"node":"server","event":"packet_sent","note":"","bytes":"45000034710540004006cbbb7f0000027f0000018d05db0f02acfb4cdc20655580100040fe2900000101080a933b1979c8b30f5f"}
{"t_ns":101517884,"node":"client","event":"packet_received","bytes":"45000034710540004006cbbb7f0000027f0000018d05db0f02acfb4cdc20655580100040fe2900000101080a933b1979c8b30f5f"}
{"t_ns":104062626,"node":"client","event":"state_changed","connection":"client:56079>server:36101","from":"CLOSE-WAIT","to":"CLOSED","cause":"observed"}
{"t_ns":108626728,"node":"client","event":"socket_event","socket":"client:56079>server:36101","name":"close","detail":""}
{"t_ns":110743448,"node":"server","event":"state_changed","connection":"server:36101>client:56079","from":"FIN-WAIT-1","to":"TIME-WAIT","cause":"observed"}
{"t_ns":110868417,"node":"server","event":"socket_event","socket":"server:36101>client:56079","name":"close","detail":""}
{"t_ns":131405014,"node":"server","event":"state_changed","connection":"server:36101","from":"LISTEN","to":"CLOSED","cause":"observed"}

"""#
        ),
    ]
}

"""A libzmq DEALER in a worker's place on jparallel's wire, for ZeroMqPeerIT.

Connects to a WireServer on 127.0.0.1:PORT, answers its challenge as PeerAuthentication.answer does,
checks the server's proof, sends the message it was given and reports the one it receives.

Arguments: PORT PEER TIMEOUT_MS (every wait ends after TIMEOUT_MS). Standard input: the secret in hex,
then the encoded message to send in hex, one per line; the secret never appears on a command line.
Standard output: one `key value` line per step, which the test reads.
"""
import hashlib
import hmac
import os
import struct
import sys

import zmq

WORKER = b"jparallel worker answer"
KERNEL = b"jparallel kernel proof"
NONCE_BYTES = 32


def mac(secret, label, challenge, rest):
    """HMAC-SHA256 under the secret over label, challenge and rest, as PeerAuthentication.mac."""
    return hmac.new(secret, label + challenge + rest, hashlib.sha256).digest()


def answer(secret, challenge, peer):
    """[peer id (4, big-endian)][nonce (32)][MAC (32)], as PeerAuthentication.answer."""
    signed = struct.pack(">i", peer) + os.urandom(NONCE_BYTES)
    return signed + mac(secret, WORKER, challenge, signed)


def report(key, value):
    print(key, value, flush=True)


def main():
    port, peer, timeout_ms = (int(a) for a in sys.argv[1:4])
    secret = bytes.fromhex(sys.stdin.readline().strip())
    message = bytes.fromhex(sys.stdin.readline().strip())
    report("libzmq", zmq.zmq_version())
    context = zmq.Context()
    try:
        dealer = context.socket(zmq.DEALER)
        dealer.linger = 0
        dealer.rcvtimeo = timeout_ms
        dealer.sndtimeo = timeout_ms
        dealer.reconnect_ivl = -1  # a connection the server drops stays dropped, so the test sees one refusal
        monitor = dealer.get_monitor_socket(zmq.EVENT_DISCONNECTED)
        dealer.connect(f"tcp://127.0.0.1:{port}")

        challenge = dealer.recv()
        report("challenge", challenge.hex())
        mine = answer(secret, challenge, peer)
        dealer.send(mine)
        # the server either proves it holds the secret too, or drops a peer whose answer it refused
        poller = zmq.Poller()
        poller.register(dealer, zmq.POLLIN)
        poller.register(monitor, zmq.POLLIN)
        ready = dict(poller.poll(timeout_ms))
        if dealer in ready:
            proof = dealer.recv()
            valid = hmac.compare_digest(proof, mac(secret, KERNEL, challenge, mine))
            report("proof", "valid" if valid else "invalid")
            if not valid:
                return
        elif monitor in ready:
            report("dropped", "after the answer")
            return
        else:
            report("timeout", "neither a proof nor a disconnect")
            return

        dealer.send(message)
        report("received", dealer.recv().hex())
    finally:
        context.destroy(linger=0)


if __name__ == "__main__":
    main()

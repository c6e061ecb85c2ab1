package org.jparallel.internal.launch;

import org.jparallel.api.HostLaunchException;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.function.BiFunction;

/** Which address of this machine another host can reach the kernel at. */
final class Routes {

    private Routes() {
    }

    /**
     * The address of this machine that traffic to {@code address} leaves from. Found without sending anything,
     * by connecting a UDP socket to it and reading the local address the kernel's routing chose.
     *
     * @param host     the host as the user named it, for the error
     * @param failure  makes the error to throw, from {@code host} and a message
     */
    static InetAddress localAddressTowards(String host, String address,
                                           BiFunction<String, String, HostLaunchException> failure) {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByName(address), 9));
            InetAddress local = socket.getLocalAddress();
            if (local.isAnyLocalAddress()) {
                throw failure.apply(host, "no route from this machine to host '" + host + "' (" + address
                        + "): give the address to listen on");
            }
            return local;
        } catch (UnknownHostException e) {
            throw failure.apply(host, "host '" + host + "' (" + address + ") does not resolve");
        } catch (SocketException e) {
            throw failure.apply(host, "no route from this machine to host '" + host + "' (" + address + "): "
                    + e.getMessage());
        }
    }
}

"""Serve the sales report on a port until stopped."""
import SocketServer

if __name__ == '__main__':
    SocketServer.TCPServer(('', 8000), SocketServer.BaseRequestHandler).serve_forever()

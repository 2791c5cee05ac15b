"""Serve the sales report on a port until stopped."""
import socketserver

if __name__ == '__main__':
    socketserver.TCPServer(('', 8000), socketserver.BaseRequestHandler).serve_forever()

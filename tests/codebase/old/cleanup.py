"""Remove the temporary files older jobs left behind."""
import glob
import os

if __name__ == '__main__':
    removed = 0
    for path in glob.glob('data/*.tmp'):
        os.remove(path)
        removed += 1
    print 'removed %d temporary file(s)' % removed

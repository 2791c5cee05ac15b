"""Process subclass: the child's work lives in an overridden run(); join() waits for it to end.

Article: described in words only ("you can also subclass Process and override run ... join blocks
    the calling process until the process it joins has finished"); this example is new.
"""
from multiprocessing import Process
import time


class Sleeper(Process):
    def __init__(self, sleeper_name, seconds):
        super(Sleeper, self).__init__()
        self.sleeper_name = sleeper_name
        self.seconds = seconds

    def run(self):
        print "%s in %s will sleep for %s seconds" % (self.sleeper_name, self.name, self.seconds)
        time.sleep(self.seconds)
        print "%s woke up" % self.sleeper_name


if __name__ == "__main__":
    sleeper = Sleeper("bob", 0.2)
    sleeper.start()
    sleeper.join()
    print "joined %s, exit code %s" % (sleeper.name, sleeper.exitcode)

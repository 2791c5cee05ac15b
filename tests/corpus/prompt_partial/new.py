import multiprocessing


def cube(n):
    return n ** 3


if __name__ == '__main__':
    name = input("Your name: ")
    print("Hello,", name)
    with multiprocessing.Pool(2) as pool:
        print("cubes:", end=" ")
        for result in pool.imap(cube, range(6)):
            print(result, end=" ")
        print()
    print("bye")
